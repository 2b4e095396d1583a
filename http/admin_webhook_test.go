package http_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rapportdev/rapport"
)

// adminTestWebhookSecret is the secret of the webhook adminSeedWebhook makes.
const adminTestWebhookSecret = "whsec_fixture_0123456789"

// adminSeedWebhook creates webhook wh_test for rule.sales_ready with three
// deliveries: the first delivered, the other two pending.
func adminSeedWebhook(t *testing.T, f *adminFixture) {
	t.Helper()
	ctx := context.Background()
	w := &rapport.Webhook{ID: "wh_test", URL: "https://crm.example.com/hook", Secret: adminTestWebhookSecret,
		Events: []string{"rule.sales_ready"}, Active: true, CreatedAt: adminTestBase}
	if err := f.store.CreateWebhook(ctx, w); err != nil {
		t.Fatalf("create webhook: %v", err)
	}
	var ns []rapport.Notification
	for range 3 {
		ns = append(ns, rapport.Notification{Type: "rule.sales_ready", ProfileID: "p_ann", At: adminTestBase})
	}
	if err := f.store.EnqueueNotifications(ctx, ns); err != nil {
		t.Fatalf("enqueue: %v", err)
	}
	ds, err := f.store.FindDeliveries(ctx, rapport.DeliveryFilter{})
	if err != nil {
		t.Fatalf("find deliveries: %v", err)
	}
	first := ds[len(ds)-1]
	first.Attempts, first.State, first.LastStatus, first.DeliveredAt = 1, rapport.DeliveryDelivered, 200, adminTestBase
	if err := f.store.UpdateDelivery(ctx, &first); err != nil {
		t.Fatalf("update delivery: %v", err)
	}
}

func TestAdminWebhooks(t *testing.T) {
	runAdminScenarios(t, []adminScenario{
		{name: "list empty", method: "GET", url: "/api/v1/webhooks", wantStatus: 200,
			wantBody: []string{`{"webhooks":[]}`}},
		{name: "list", method: "GET", url: "/api/v1/webhooks", before: adminSeedWebhook, wantStatus: 200,
			wantBody: []string{`"id":"wh_test"`, `"events":["rule.sales_ready"]`, `"active":true`},
			notBody:  []string{adminTestWebhookSecret, "secret"}},
		{name: "create with generated secret", method: "POST", url: "/api/v1/webhooks",
			body:       `{"url":"https://crm.example.com/hook","events":["*"],"requiresConsent":"email"}`,
			wantStatus: 201, wantBody: []string{`"id":"wh_`, `"secret":"whsec_`, `"active":true`, `"requiresConsent":"email"`},
			wantHeaders: map[string]string{"Cache-Control": "no-store"}, after: adminCheckWebhookSecret},
		{name: "create with given secret", method: "POST", url: "/api/v1/webhooks",
			body:       `{"url":"http://localhost:9000/x","events":["a","b"],"secret":"0123456789abcdef","active":false}`,
			wantStatus: 201, wantBody: []string{`"active":false`, `"events":["a","b"]`},
			notBody: []string{"secret", "0123456789abcdef"}},
		{name: "relative url", method: "POST", url: "/api/v1/webhooks", body: `{"url":"/hook","events":["*"]}`,
			wantStatus: 400, wantBody: []string{"url: must be an absolute http or https URL"}},
		{name: "ftp url", method: "POST", url: "/api/v1/webhooks", body: `{"url":"ftp://x.example/","events":["*"]}`,
			wantStatus: 400, wantBody: []string{"url: must be"}},
		{name: "no events", method: "POST", url: "/api/v1/webhooks", body: `{"url":"https://x.example","events":[]}`,
			wantStatus: 400, wantBody: []string{"events: give at least one"}},
		{name: "short secret", method: "POST", url: "/api/v1/webhooks",
			body:       `{"url":"https://x.example","events":["*"],"secret":"short"}`,
			wantStatus: 400, wantBody: []string{"secret: must be at least 16 bytes"}},
		{name: "unknown consent channel", method: "POST", url: "/api/v1/webhooks",
			body:       `{"url":"https://x.example","events":["*"],"requiresConsent":"pigeon"}`,
			wantStatus: 400, wantBody: []string{"requiresConsent: must be one of"}},
		{name: "unknown field", method: "POST", url: "/api/v1/webhooks", body: `{"url":"https://x.example","events":["*"],"x":1}`,
			wantStatus: 400, wantBody: []string{"unknown field"}},
		{name: "delete", method: "DELETE", url: "/api/v1/webhooks/wh_test", before: adminSeedWebhook, wantStatus: 204,
			after: adminWantDeliveries(0)},
		{name: "delete unknown", method: "DELETE", url: "/api/v1/webhooks/wh_nope", wantStatus: 404,
			wantBody: []string{`"code":"not_found"`}},
		{name: "delivery log", method: "GET", url: "/api/v1/webhooks/wh_test/deliveries", before: adminSeedWebhook,
			wantStatus: 200, wantBody: []string{`"state":"pending"`, `"state":"delivered"`, `"consent":"not_required"`,
				`"notification":{"type":"rule.sales_ready","profileId":"p_ann"`, `"lastStatus":200`},
			notBody: []string{`"next"`}, after: adminWantLogLen(3)},
		{name: "delivery log by state", method: "GET", url: "/api/v1/webhooks/wh_test/deliveries?state=delivered",
			before: adminSeedWebhook, wantStatus: 200, wantBody: []string{`"state":"delivered"`},
			notBody: []string{`"state":"pending"`}, after: adminWantLogLen(1)},
		{name: "delivery log paging", method: "GET", url: "/api/v1/webhooks/wh_test/deliveries?limit=2",
			before: adminSeedWebhook, wantStatus: 200,
			wantBody: []string{`"next":"/api/v1/webhooks/wh_test/deliveries?limit=2&offset=2"`}, after: adminWantLogLen(2)},
		{name: "delivery log last page", method: "GET", url: "/api/v1/webhooks/wh_test/deliveries?limit=2&offset=2",
			before: adminSeedWebhook, wantStatus: 200, wantBody: []string{`"state":"delivered"`}, after: adminWantLogLen(1)},
		{name: "delivery log bad state", method: "GET", url: "/api/v1/webhooks/wh_test/deliveries?state=lost",
			before: adminSeedWebhook, wantStatus: 400, wantBody: []string{"state: must be pending, delivered or failed"}},
		{name: "delivery log bad limit", method: "GET", url: "/api/v1/webhooks/wh_test/deliveries?limit=0",
			before: adminSeedWebhook, wantStatus: 400, wantBody: []string{"limit: must be"}},
		{name: "delivery log of unknown webhook", method: "GET", url: "/api/v1/webhooks/wh_nope/deliveries",
			wantStatus: 404, wantBody: []string{"webhook wh_nope not found"}},
		{name: "write key refused", method: "GET", url: "/api/v1/webhooks",
			headers: map[string]string{"Authorization": "Bearer " + adminTestWriteKey}, wantStatus: 401},
	})
}

// adminCheckWebhookSecret checks that the generated secret shown is the
// one stored, so the receiver can verify signatures with it.
func adminCheckWebhookSecret(t *testing.T, f *adminFixture, body string) {
	t.Helper()
	var created struct {
		ID     string `json:"id"`
		Secret string `json:"secret"`
	}
	if err := json.Unmarshal([]byte(body), &created); err != nil {
		t.Fatalf("decode created webhook: %v", err)
	}
	hooks, err := f.store.FindWebhooks(context.Background())
	if err != nil || len(hooks) != 1 {
		t.Fatalf("find webhooks = %v, %v; want 1", hooks, err)
	}
	if hooks[0].ID != created.ID || hooks[0].Secret != created.Secret || !strings.HasPrefix(created.Secret, "whsec_") {
		t.Fatalf("stored webhook %s with secret %q; answer showed %s with %q", hooks[0].ID, hooks[0].Secret, created.ID, created.Secret)
	}
}

// adminWantDeliveries checks how many deliveries the store holds.
func adminWantDeliveries(n int) func(t *testing.T, f *adminFixture, body string) {
	return func(t *testing.T, f *adminFixture, body string) {
		t.Helper()
		ds, err := f.store.FindDeliveries(context.Background(), rapport.DeliveryFilter{})
		if err != nil || len(ds) != n {
			t.Fatalf("deliveries = %d, %v; want %d", len(ds), err, n)
		}
	}
}

// adminWantLogLen checks how many deliveries the answer lists.
func adminWantLogLen(n int) func(t *testing.T, f *adminFixture, body string) {
	return func(t *testing.T, f *adminFixture, body string) {
		t.Helper()
		var page struct {
			Deliveries []rapport.Delivery `json:"deliveries"`
		}
		if err := json.Unmarshal([]byte(body), &page); err != nil {
			t.Fatalf("decode deliveries: %v", err)
		}
		if len(page.Deliveries) != n {
			t.Fatalf("answer lists %d deliveries, want %d", len(page.Deliveries), n)
		}
	}
}

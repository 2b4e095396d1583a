package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
)

// webhook creates an active webhook subscribed to events and returns it.
func webhook(t *testing.T, s rapport.Store, id string, active bool, events ...string) *rapport.Webhook {
	t.Helper()
	w := &rapport.Webhook{ID: id, URL: "https://example.com/hooks/" + id, Secret: "0123456789abcdef-" + id,
		Events: events, Active: active, CreatedAt: at(len(id))}
	if err := s.CreateWebhook(context.Background(), w); err != nil {
		t.Fatalf("CreateWebhook(%s): %v", id, err)
	}
	return w
}

// notification returns a notification about a profile.
func notification(typ, profileID string, n int) rapport.Notification {
	return rapport.Notification{Type: typ, ProfileID: profileID, At: at(n),
		Payload: map[string]any{"n": float64(n), "tags": []any{"a", "b"}}}
}

// deliveries returns a page of the delivery log, failing the test on error.
func deliveries(t *testing.T, s rapport.Store, f rapport.DeliveryFilter) []rapport.Delivery {
	t.Helper()
	got, err := s.FindDeliveries(context.Background(), f)
	if err != nil {
		t.Fatalf("FindDeliveries(%+v): %v", f, err)
	}
	return got
}

// fanOut lists each delivery as "webhook:type", in log order (newest first).
func fanOut(ds []rapport.Delivery) []string {
	out := []string{}
	for _, d := range ds {
		out = append(out, d.WebhookID+":"+d.Notification.Type)
	}
	return out
}

func testWebhooks(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	if hooks, err := s.FindWebhooks(ctx); err != nil || len(hooks) != 0 {
		t.Fatalf("FindWebhooks on a new store = %v, %v; want none", hooks, err)
	}
	w2 := webhook(t, s, "wh2", true, "*")
	w1 := webhook(t, s, "w1", false, "a", "b")
	w1.RequiresConsent = ""
	wantCode(t, "CreateWebhook with a taken id", s.CreateWebhook(ctx, &rapport.Webhook{ID: "w1",
		URL: "https://x.example", Secret: "0123456789abcdef", Events: []string{"a"}}), rapport.ECONFLICT)
	wantCode(t, "CreateWebhook with a short secret", s.CreateWebhook(ctx, &rapport.Webhook{
		URL: "https://x.example", Secret: "short", Events: []string{"a"}}), rapport.EINVALID)
	hooks, err := s.FindWebhooks(ctx)
	if err != nil {
		t.Fatalf("FindWebhooks: %v", err)
	}
	equal(t, "webhooks", hooks, []*rapport.Webhook{w1, w2})
	if hooks[0].Secret != w1.Secret {
		t.Fatalf("stored secret %q, want %q", hooks[0].Secret, w1.Secret)
	}
	generated := &rapport.Webhook{URL: "http://x.example", Secret: "0123456789abcdef", Events: []string{"a"},
		RequiresConsent: "email"}
	if err := s.CreateWebhook(ctx, generated); err != nil || generated.ID == "" || generated.CreatedAt.IsZero() {
		t.Fatalf("CreateWebhook without id = %v, id %q, created %v; want both filled in", err, generated.ID, generated.CreatedAt)
	}
}

func testNotificationsFanOut(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	webhook(t, s, "all", true, "*")
	webhook(t, s, "sales", true, "rule.sales_ready")
	webhook(t, s, "off", false, "*")
	consent := &rapport.Webhook{ID: "mail", URL: "https://example.com/mail", Secret: "0123456789abcdef",
		Events: []string{"segment.entered"}, Active: true, RequiresConsent: "email", CreatedAt: at(9)}
	if err := s.CreateWebhook(ctx, consent); err != nil {
		t.Fatalf("CreateWebhook: %v", err)
	}
	apply(t, s, rapport.Changes{Profiles: []*rapport.Profile{person("p1")}, Base: 0, Checkpoint: 1,
		Notifications: []rapport.Notification{notification("rule.sales_ready", "p1", 1),
			notification("segment.entered", "p1", 2), notification("other", "p1", 3)}})
	got := deliveries(t, s, rapport.DeliveryFilter{})
	equal(t, "deliveries, newest first", fanOut(got), []string{"all:other", "mail:segment.entered",
		"all:segment.entered", "sales:rule.sales_ready", "all:rule.sales_ready"})
	d := got[len(got)-1]
	want := rapport.Delivery{ID: d.ID, WebhookID: "all", Notification: notification("rule.sales_ready", "p1", 1),
		State: rapport.DeliveryPending, Consent: rapport.ConsentNotRequired}
	equal(t, "new delivery", d, want)
	if got[1].Consent != rapport.ConsentUnchecked {
		t.Errorf("consent of a delivery to a webhook requiring email consent = %q, want %q", got[1].Consent, rapport.ConsentUnchecked)
	}
	if err := s.EnqueueNotifications(ctx, []rapport.Notification{notification("rule.sales_ready", "", 4)}); err != nil {
		t.Fatalf("EnqueueNotifications: %v", err)
	}
	equal(t, "enqueued", fanOut(deliveries(t, s, rapport.DeliveryFilter{Limit: 2})),
		[]string{"sales:rule.sales_ready", "all:rule.sales_ready"})
	wantCode(t, "notification without type", s.EnqueueNotifications(ctx, []rapport.Notification{{}}), rapport.EINVALID)
}

func testNotificationsAtomic(t *testing.T, s rapport.Store) {
	webhook(t, s, "all", true, "*")
	apply(t, s, rapport.Changes{Base: 0, Checkpoint: 2})
	refused := rapport.Changes{Profiles: []*rapport.Profile{person("p1")}, Base: 0, Checkpoint: 3,
		Notifications: []rapport.Notification{notification("rule.sales_ready", "p1", 1)}}
	wantCode(t, "stale ApplyChanges", s.ApplyChanges(context.Background(), refused), rapport.ECONFLICT)
	invalid := rapport.Changes{Base: 2, Checkpoint: 3,
		Notifications: []rapport.Notification{notification("ok", "", 1), {ProfileID: "p1"}}}
	wantCode(t, "ApplyChanges with an untyped notification", s.ApplyChanges(context.Background(), invalid), rapport.EINVALID)
	if got := deliveries(t, s, rapport.DeliveryFilter{}); len(got) != 0 {
		t.Fatalf("refused changes queued %d deliveries, want none", len(got))
	}
}

func testDeliveriesDue(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	webhook(t, s, "all", true, "*")
	var ns []rapport.Notification
	for i := range 4 {
		ns = append(ns, notification("t", "", i))
	}
	if err := s.EnqueueNotifications(ctx, ns); err != nil {
		t.Fatalf("EnqueueNotifications: %v", err)
	}
	due, err := s.FindDueDeliveries(ctx, at(0), 10)
	if err != nil || len(due) != 4 {
		t.Fatalf("FindDueDeliveries = %d deliveries, %v; want the 4 new ones", len(due), err)
	}
	// First: retry later; second: delivered; third: failed; fourth: due again sooner.
	updates := []rapport.Delivery{due[0], due[1], due[2], due[3]}
	updates[0].Attempts, updates[0].NextAttemptAt, updates[0].LastStatus, updates[0].LastError = 1, at(60), 500, "status 500"
	updates[1].Attempts, updates[1].State, updates[1].DeliveredAt, updates[1].LastStatus = 1, rapport.DeliveryDelivered, at(1), 204
	updates[2].Attempts, updates[2].State, updates[2].LastError = 12, rapport.DeliveryFailed, "timeout"
	updates[3].Attempts, updates[3].NextAttemptAt = 1, at(30)
	for i := range updates {
		if err := s.UpdateDelivery(ctx, &updates[i]); err != nil {
			t.Fatalf("UpdateDelivery(%d): %v", updates[i].ID, err)
		}
	}
	for _, tc := range []struct {
		now  time.Time
		want []int64
	}{{at(29), []int64{}}, {at(30), []int64{due[3].ID}}, {at(61), []int64{due[3].ID, due[0].ID}}} {
		got, err := s.FindDueDeliveries(ctx, tc.now, 10)
		if err != nil {
			t.Fatalf("FindDueDeliveries: %v", err)
		}
		ids := []int64{}
		for _, d := range got {
			ids = append(ids, d.ID)
		}
		equal(t, "due at "+tc.now.String(), ids, tc.want)
	}
	equal(t, "updated retry", deliveries(t, s, rapport.DeliveryFilter{State: rapport.DeliveryPending}),
		[]rapport.Delivery{updates[3], updates[0]})
	equal(t, "delivered", deliveries(t, s, rapport.DeliveryFilter{State: rapport.DeliveryDelivered}),
		[]rapport.Delivery{updates[1]})
	if got, err := s.FindDueDeliveries(ctx, at(61), 1); err != nil || len(got) != 1 || got[0].ID != due[3].ID {
		t.Fatalf("FindDueDeliveries with limit 1 = %v, %v; want the earliest due", got, err)
	}
	gone := rapport.Delivery{ID: 999999, State: rapport.DeliveryPending}
	wantCode(t, "UpdateDelivery of an unknown delivery", s.UpdateDelivery(ctx, &gone), rapport.ENOTFOUND)
	bad := updates[0]
	bad.State = "lost"
	wantCode(t, "UpdateDelivery to an unknown state", s.UpdateDelivery(ctx, &bad), rapport.EINVALID)
}

func testDeliveriesPaging(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	webhook(t, s, "a", true, "*")
	webhook(t, s, "b", true, "x")
	var ns []rapport.Notification
	for i := range 5 {
		ns = append(ns, notification("x", "", i))
	}
	if err := s.EnqueueNotifications(ctx, ns); err != nil {
		t.Fatalf("EnqueueNotifications: %v", err)
	}
	all := deliveries(t, s, rapport.DeliveryFilter{WebhookID: "a"})
	if len(all) != 5 {
		t.Fatalf("deliveries of a = %d, want 5", len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i-1].ID <= all[i].ID || all[i].WebhookID != "a" {
			t.Fatalf("deliveries of a not newest first: %v", fanOut(all))
		}
	}
	page := deliveries(t, s, rapport.DeliveryFilter{WebhookID: "a", Offset: 2, Limit: 2})
	equal(t, "page 2", page, all[2:4])
	if got := deliveries(t, s, rapport.DeliveryFilter{WebhookID: "a", Offset: 5}); len(got) != 0 {
		t.Fatalf("page past the end = %d deliveries, want none", len(got))
	}
	if got := deliveries(t, s, rapport.DeliveryFilter{}); len(got) != 10 {
		t.Fatalf("all deliveries = %d, want 10", len(got))
	}
}

func testDeleteWebhook(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	webhook(t, s, "a", true, "*")
	webhook(t, s, "b", true, "*")
	if err := s.EnqueueNotifications(ctx, []rapport.Notification{notification("x", "", 1)}); err != nil {
		t.Fatalf("EnqueueNotifications: %v", err)
	}
	if err := s.DeleteWebhook(ctx, "a"); err != nil {
		t.Fatalf("DeleteWebhook: %v", err)
	}
	wantCode(t, "DeleteWebhook twice", s.DeleteWebhook(ctx, "a"), rapport.ENOTFOUND)
	equal(t, "deliveries after delete", fanOut(deliveries(t, s, rapport.DeliveryFilter{})), []string{"b:x"})
	due, err := s.FindDueDeliveries(ctx, at(0), 10)
	if err != nil || len(due) != 1 || due[0].WebhookID != "b" {
		t.Fatalf("due after delete = %v, %v; want b's only", fanOut(due), err)
	}
	hooks, err := s.FindWebhooks(ctx)
	if err != nil || len(hooks) != 1 || hooks[0].ID != "b" {
		t.Fatalf("webhooks after delete = %v, %v; want b", hooks, err)
	}
}

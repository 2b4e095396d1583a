package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/rapportdev/rapport"
	rhttp "github.com/rapportdev/rapport/http"
	"github.com/rapportdev/rapport/leads"
	"github.com/rapportdev/rapport/sqlite"
)

// Secrets of the lead fixture's keys.
const (
	leadTestVendorKey = "vk_fixture"
	leadTestOtherKey  = "vk_inactive"
)

// leadAppender collects the events the lead service appends.
type leadAppender struct {
	mu     sync.Mutex
	events []rapport.Event
}

func (a *leadAppender) Append(_ context.Context, evs []rapport.Event) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.events = append(a.events, evs...)
	return nil
}

// leadFixture is a server with lead management over a real SQLite store:
// an active vendor v1 with a key, an inactive vendor v0 with one, an admin
// token and a write key.
type leadFixture struct {
	srv    *httptest.Server
	store  *sqlite.Store
	events *leadAppender
	svc    *leads.Service
}

func newLeadFixture(t *testing.T) *leadFixture {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "rapport.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	createAdminTestKey(t, st, rapport.KeyAdmin, adminTestToken)
	createAdminTestKey(t, st, rapport.KeyWrite, adminTestWriteKey)
	f := &leadFixture{store: st, events: &leadAppender{}}
	f.svc = leads.New(leads.Config{Store: st, Ingest: f.events, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err := f.svc.Declare(ctx, []rapport.Vendor{{ID: "v1", Name: "Vendor One", Exclusive: true, Price: 30, Active: true},
		{ID: "v0", Name: "Old Vendor", Price: 5}}); err != nil {
		t.Fatal(err)
	}
	for secret, vendor := range map[string]string{leadTestVendorKey: "v1", leadTestOtherKey: "v0"} {
		k := &rapport.Key{ID: rapport.NewID("k_"), Kind: rapport.KeyVendor, Name: vendor, Hash: rapport.HashSecret(secret), CreatedAt: time.Now()}
		if err := st.CreateKey(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	f.srv = httptest.NewServer(rhttp.NewServer(rhttp.Config{Store: st, Ingest: f.events, Leads: f.svc,
		Registry: prometheus.NewRegistry(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	t.Cleanup(f.srv.Close)
	return f
}

// scenario is one request and what the answer must hold.
type leadScenario struct {
	name, method, path, auth, contentType, body string
	status                                      int
	want                                        []string
}

func (f *leadFixture) run(t *testing.T, sc leadScenario) string {
	t.Helper()
	req, _ := http.NewRequest(sc.method, f.srv.URL+sc.path, strings.NewReader(sc.body))
	switch {
	case strings.HasPrefix(sc.auth, "basic "):
		req.SetBasicAuth(strings.TrimPrefix(sc.auth, "basic "), "")
	case sc.auth != "":
		req.Header.Set("Authorization", "Bearer "+sc.auth)
	}
	ct := sc.contentType
	if ct == "" {
		ct = "application/json"
	}
	req.Header.Set("Content-Type", ct)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != sc.status {
		t.Fatalf("%s %s: status %d, want %d; body %s", sc.method, sc.path, resp.StatusCode, sc.status, b)
	}
	for _, w := range sc.want {
		if !strings.Contains(string(b), w) {
			t.Fatalf("%s %s: body %s\nwant it to contain %s", sc.method, sc.path, b, w)
		}
	}
	return string(b)
}

var leadSubmitted = time.Now().UTC().Add(-3 * time.Minute).Truncate(time.Second).Format(time.RFC3339)

// leadJSON is a valid lead with consent, its email and external id given.
func leadJSON(ext, email string) string {
	return fmt.Sprintf(`{"externalId":%q,"person":{"firstName":"Ana","lastName":"Diaz","email":%q,"address":{"street":"1 Main St","postalCode":"98101","region":"WA"}},`+
		`"submittedAt":%q,"form":{"seconds":80,"input":"typed","completedBy":"consumer"},"answers":{"product":"auto"},`+
		`"consent":{"text":"I agree to be called by Acme.","at":%q,"ip":"203.0.113.4","method":"checkbox","channels":["phone"]}}`,
		ext, email, leadSubmitted, leadSubmitted)
}

func TestLeadIntakeScenarios(t *testing.T) {
	f := newLeadFixture(t)
	csv := "external_id,first_name,last_name,email,submitted_at,form_seconds,answer.product\n" +
		"c1,Ben,Roe,ben@example.com," + leadSubmitted + ",45,home\n" +
		"c2,Cy,Poe,not-an-email," + leadSubmitted + ",45,home\n"
	for _, sc := range []leadScenario{
		{name: "no key", method: "POST", path: "/v1/leads", body: leadJSON("a", "a@example.com"), status: 401, want: []string{"vendor key required"}},
		{name: "a write key is not a vendor key", method: "POST", path: "/v1/leads", auth: "basic " + adminTestWriteKey, body: leadJSON("a", "a@example.com"), status: 401},
		{name: "inactive vendor", method: "POST", path: "/v1/leads", auth: leadTestOtherKey, body: leadJSON("a", "a@example.com"), status: 401, want: []string{"inactive"}},
		{name: "one lead", method: "POST", path: "/v1/leads", auth: "basic " + leadTestVendorKey, body: leadJSON("a", "ana@example.com"), status: 200,
			want: []string{`"accepted":1`, `"inquiry":1`, `"contactable":true`, `"leadId":"ld_`}},
		{name: "a retry", method: "POST", path: "/v1/leads", auth: leadTestVendorKey, body: leadJSON("a", "ana@example.com"), status: 200,
			want: []string{`"retry":true`}},
		{name: "a batch with a bad lead", method: "POST", path: "/v1/leads", auth: leadTestVendorKey,
			body: `{"leads":[` + leadJSON("b", "ana.diaz@work.example") + `,{"person":{"email":"x@example.com"}},{"price":"free"}]}`, status: 400,
			want: []string{`"accepted":1`, `"rejected":2`, `"inquiry":2`, `"error":"submittedAt: required`, `"error":"field price: want a number`}},
		{name: "csv", method: "POST", path: "/v1/leads", auth: leadTestVendorKey, contentType: "text/csv", body: csv, status: 400,
			want: []string{`"accepted":1`, `"error":"line 3: person.email: \"not-an-email\" is not an email address"`, `"contactable":false`, `"consentProblem":"no consent record"`}},
		{name: "not json", method: "POST", path: "/v1/leads", auth: leadTestVendorKey, body: `{"leads":`, status: 400, want: []string{"not valid JSON"}},
		{name: "price", method: "POST", path: "/api/v1/leads/price", auth: leadTestVendorKey,
			body: leadJSON("", "ana@example.com"), status: 200, want: []string{`"bid":`, `"inquiry":3`, `"askingPrice":30`}},
		{name: "price with an admin token", method: "POST", path: "/api/v1/leads/price", auth: adminTestToken, body: leadJSON("", ""), status: 401},
		{name: "price of a batch", method: "POST", path: "/api/v1/leads/price", auth: leadTestVendorKey,
			body: `{"leads":[` + leadJSON("", "") + `,` + leadJSON("", "") + `]}`, status: 400, want: []string{"one lead at a time"}},
		{name: "contacts need a write key", method: "POST", path: "/v1/leads/contacts", auth: leadTestVendorKey, body: `{}`, status: 401},
		{name: "contact of an unknown lead", method: "POST", path: "/v1/leads/contacts", auth: "basic " + adminTestWriteKey,
			body: `{"contacts":[{"leadId":"ld_x","at":"2026-11-23T10:00:00Z","outcome":"busy"}]}`, status: 400, want: []string{`"rejected":1`, "not found"}},
		{name: "contacts body", method: "POST", path: "/v1/leads/contacts", auth: "basic " + adminTestWriteKey,
			body: `{"contacts":[{"leadId":"x","colour":"red"}]}`, status: 400, want: []string{"unknown field"}},
	} {
		t.Run(sc.name, func(t *testing.T) { f.run(t, sc) })
	}
	if len(f.events.events) == 0 {
		t.Fatal("no events appended")
	}
}

func TestLeadContactsAndAdmin(t *testing.T) {
	f := newLeadFixture(t)
	body := f.run(t, leadScenario{method: "POST", path: "/v1/leads", auth: leadTestVendorKey, body: leadJSON("a", "ana@example.com"), status: 200})
	var intake struct {
		Leads []struct{ LeadID, PersonID string }
	}
	if err := json.Unmarshal([]byte(body), &intake); err != nil {
		t.Fatal(err)
	}
	id := intake.Leads[0].LeadID
	at := time.Now().UTC().Format(time.RFC3339)
	f.run(t, leadScenario{method: "POST", path: "/v1/leads/contacts", auth: "basic " + adminTestWriteKey,
		body: `{"leadId":"` + id + `","at":"` + at + `","outcome":"reached","agent":"kim","team":"closers"}`, status: 200,
		want: []string{`"accepted":1`, `"consent":"granted"`}})
	for _, sc := range []leadScenario{
		{method: "GET", path: "/api/v1/vendors", auth: adminTestToken, status: 200, want: []string{`"id":"v0"`, `"id":"v1"`}},
		{method: "GET", path: "/api/v1/vendors", auth: leadTestVendorKey, status: 401},
		{method: "POST", path: "/api/v1/vendors", auth: adminTestToken, body: `{"id":"v2","name":"Two","sharedWith":3,"price":12}`, status: 201, want: []string{`"active":true`}},
		{method: "POST", path: "/api/v1/vendors", auth: adminTestToken, body: `{"id":"v2","name":"Two"}`, status: 409},
		{method: "POST", path: "/api/v1/vendors", auth: adminTestToken, body: `{"id":"bad id","name":"x"}`, status: 400, want: []string{"id:"}},
		{method: "PUT", path: "/api/v1/vendors/v2", auth: adminTestToken, body: `{"name":"Two","exclusive":true,"price":40}`, status: 200, want: []string{`"exclusive":true`}},
		{method: "PUT", path: "/api/v1/vendors/nope", auth: adminTestToken, body: `{"name":"x"}`, status: 404},
		{method: "POST", path: "/api/v1/vendors/v2/keys", auth: adminTestToken, status: 201, want: []string{`"secret":"vk_`, `"kind":"vendor"`, `"name":"v2"`}},
		{method: "GET", path: "/api/v1/vendors/v2", auth: adminTestToken, status: 200, want: []string{`"keys":[{`}},
		{method: "GET", path: "/api/v1/vendors/v2/keys", auth: adminTestToken, status: 200, want: []string{`"kind":"vendor"`}},
		{method: "DELETE", path: "/api/v1/vendors/v1", auth: adminTestToken, status: 409, want: []string{"deactivate it instead"}},
		{method: "DELETE", path: "/api/v1/vendors/v2", auth: adminTestToken, status: 204},
		{method: "GET", path: "/api/v1/leads/bought?vendor=v1", auth: adminTestToken, status: 200, want: []string{`"total":1`, `"id":"` + id}},
		{method: "GET", path: "/api/v1/leads/bought?since=yesterday", auth: adminTestToken, status: 400, want: []string{"since:"}},
		{method: "GET", path: "/api/v1/leads/" + id, auth: adminTestToken, status: 200, want: []string{`"toFirstContact":`, `"attempts":1`}},
		{method: "GET", path: "/api/v1/leads/ld_nope", auth: adminTestToken, status: 404},
		{method: "GET", path: "/api/v1/leads/" + id + "/consent", auth: adminTestToken, status: 200, want: []string{`"hashMatches":true`, `"text":"I agree to be called by Acme."`}},
		{method: "GET", path: "/api/v1/leads/speed?by=team", auth: adminTestToken, status: 200, want: []string{`"medianToFirstAttempt":`}},
		{method: "GET", path: "/api/v1/leads/speed?by=lead", auth: adminTestToken, status: 200, want: []string{`"leadId":"` + id}},
		{method: "GET", path: "/api/v1/leads/speed?by=day", auth: adminTestToken, status: 400},
		{method: "GET", path: "/api/v1/leads/duplicates", auth: adminTestToken, status: 200},
		{method: "GET", path: "/api/v1/vendors/scorecards?period=week", auth: adminTestToken, status: 200, want: []string{`"vendorId":"v1"`, `"contactRate":1`}},
		{method: "GET", path: "/api/v1/vendors/scorecards?period=year", auth: adminTestToken, status: 400},
		{method: "GET", path: "/api/v1/leads/prices?by=product", auth: adminTestToken, status: 200, want: []string{`"segment":"auto"`, `"recommendedMaxPrice":`}},
		{method: "GET", path: "/api/v1/leads/trends?by=region", auth: adminTestToken, status: 200, want: []string{`"group":"pacific_northwest"`}},
		{method: "GET", path: "/api/v1/leads/trends?by=shoe_size", auth: adminTestToken, status: 400},
		{method: "GET", path: "/api/v1/leads/queue?channel=sms", auth: adminTestToken, status: 200, want: []string{`"blocked":1`, `"allowed":false`}},
		{method: "GET", path: "/api/v1/leads/queue?channel=fax", auth: adminTestToken, status: 400},
		{method: "GET", path: "/api/v1/leads/model", auth: adminTestToken, status: 200, want: []string{`"estimator":"prior"`, `"hot":300`}},
		{method: "POST", path: "/api/v1/leads/model", auth: adminTestToken, body: `{"kind":"logistic"}`, status: 400, want: []string{"need 50 leads"}},
	} {
		t.Run(sc.method+" "+sc.path, func(t *testing.T) { f.run(t, sc) })
	}
}

package http_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/rapportdev/rapport"
)

// adminScenario is one request to the admin API against a fresh fixture
// and what the answer must hold.
type adminScenario struct {
	name   string
	method string
	// url may name {adminKeyID} and {writeKeyID}, replaced with the
	// fixture's key ids.
	url  string
	body string
	// headers are sent as given; nil means the admin token's.
	headers map[string]string
	// before runs after seeding and before the request.
	before      func(t *testing.T, f *adminFixture)
	wantStatus  int
	wantBody    []string
	notBody     []string
	wantHeaders map[string]string
	// after runs more checks once the request is answered.
	after func(t *testing.T, f *adminFixture, body string)
}

// run sends the scenario's request and checks the answer.
func (sc adminScenario) run(t *testing.T) {
	t.Helper()
	f := newAdminFixture(t)
	if sc.before != nil {
		sc.before(t, f)
	}
	headers := sc.headers
	if headers == nil {
		headers = adminHeaders()
	}
	path := strings.NewReplacer("{adminKeyID}", f.adminKeyID, "{writeKeyID}", f.writeKeyID).Replace(sc.url)
	status, header, body := f.do(t, sc.method, path, sc.body, headers)
	if status != sc.wantStatus {
		t.Errorf("%s %s: got status %d, want %d; body %s", sc.method, path, status, sc.wantStatus, body)
	}
	for _, want := range sc.wantBody {
		if !strings.Contains(body, want) {
			t.Errorf("%s %s: body lacks %s; got %s", sc.method, path, want, body)
		}
	}
	for _, bad := range sc.notBody {
		if strings.Contains(body, bad) {
			t.Errorf("%s %s: body holds %s; got %s", sc.method, path, bad, body)
		}
	}
	for k, want := range sc.wantHeaders {
		if got := header.Get(k); got != want {
			t.Errorf("%s %s: header %s: got %q, want %q", sc.method, path, k, got, want)
		}
	}
	if sc.after != nil {
		sc.after(t, f, body)
	}
}

// runAdminScenarios runs each scenario as a subtest.
func runAdminScenarios(t *testing.T, scenarios []adminScenario) {
	t.Helper()
	for _, sc := range scenarios {
		t.Run(sc.name, sc.run)
	}
}

// adminRequests is one request to every admin route, for the
// authentication scenarios.
var adminRequests = []struct{ method, url, body string }{
	{"GET", "/api/v1/profiles", ""},
	{"GET", "/api/v1/profiles/lookup?userId=ann-1", ""},
	{"GET", "/api/v1/profiles/p_ann", ""},
	{"DELETE", "/api/v1/profiles/p_ann", ""},
	{"GET", "/api/v1/profiles/p_ann/events", ""},
	{"GET", "/api/v1/profiles/p_ann/orders", ""},
	{"GET", "/api/v1/profiles/p_ann/merges", ""},
	{"GET", "/api/v1/profiles/p_ann/export", ""},
	{"GET", "/api/v1/profiles/p_ann/score", ""},
	{"GET", "/api/v1/leads", ""},
	{"GET", "/api/v1/scoring/model", ""},
	{"GET", "/api/v1/keys", ""},
	{"POST", "/api/v1/keys", `{"kind":"admin","name":"intruder"}`},
	{"DELETE", "/api/v1/keys/{adminKeyID}", ""},
}

func TestAdminAuth(t *testing.T) {
	refused := map[string]map[string]string{
		"no token":             {},
		"write key as bearer":  {"Authorization": "Bearer " + adminTestWriteKey},
		"write key as basic":   {"Authorization": "Basic " + adminBasicAuth(adminTestWriteKey)},
		"unknown token":        {"Authorization": "Bearer at_unknown"},
		"admin token as basic": {"Authorization": "Basic " + adminBasicAuth(adminTestToken)},
	}
	var scenarios []adminScenario
	for how, headers := range refused {
		for _, r := range adminRequests {
			scenarios = append(scenarios, adminScenario{
				name: how + " " + r.method + " " + r.url, method: r.method, url: r.url, body: r.body,
				headers: headers, wantStatus: http.StatusUnauthorized,
				wantBody: []string{`"code":"unauthorized"`}, notBody: []string{"p_ann", "secret"},
				after: adminCheckNothingChanged,
			})
		}
	}
	runAdminScenarios(t, scenarios)
}

// adminBasicAuth encodes a write key as the Basic user name, as Segment
// clients send it.
func adminBasicAuth(user string) string {
	req, _ := http.NewRequest("GET", "/", nil)
	req.SetBasicAuth(user, "")
	return strings.TrimPrefix(req.Header.Get("Authorization"), "Basic ")
}

// adminCheckNothingChanged fails when a refused request erased Ann or touched
// the keys.
func adminCheckNothingChanged(t *testing.T, f *adminFixture, _ string) {
	t.Helper()
	ctx := context.Background()
	if _, err := f.store.FindProfileByID(ctx, "p_ann"); err != nil {
		t.Errorf("p_ann after a refused request: got %v, want it kept", err)
	}
	keys, err := f.store.FindKeys(ctx)
	if err != nil || len(keys) != 2 {
		t.Errorf("keys after a refused request: got %d (%v), want 2", len(keys), err)
	}
}

func TestAdminProfile(t *testing.T) {
	runAdminScenarios(t, []adminScenario{
		{name: "person", method: "GET", url: "/api/v1/profiles/p_ann", wantStatus: 200,
			wantBody: []string{`"id":"p_ann"`, `"kind":"person"`, `"plan":"pro"`, `"groups":["acme"]`,
				`{"kind":"email","value":"ann@example.com"}`, `"aggregates":{`, `"revenue":42.5`,
				`"createdAt":"2025-03-01T10:00:00Z"`, `"updatedAt":"2025-03-01T14:00:00Z"`}},
		{name: "empty lists shown empty", method: "GET", url: "/api/v1/profiles/p_bob", wantStatus: 200,
			wantBody: []string{`"id":"p_bob"`, `"groups":[]`, `"identities":[{"kind":"user_id","value":"bob-1"}]`}},
		{name: "unknown", method: "GET", url: "/api/v1/profiles/p_nope", wantStatus: 404,
			wantBody: []string{`"code":"not_found"`}, notBody: []string{"mergedInto"}},
		{name: "merged names the survivor", method: "GET", url: "/api/v1/profiles/p_old", wantStatus: 404,
			wantBody: []string{`"code":"not_found"`, `"mergedInto":"p_ann"`, "p_old was merged into p_ann"}},
		{name: "merge chain followed", method: "GET", url: "/api/v1/profiles/p_older", wantStatus: 404,
			wantBody: []string{`"mergedInto":"p_ann"`}},
		{name: "wrong method", method: "PUT", url: "/api/v1/profiles/p_ann", wantStatus: 405},
	})
}

func TestAdminLookup(t *testing.T) {
	lookup := func(param, value string) string {
		return "/api/v1/profiles/lookup?" + url.Values{param: {value}}.Encode()
	}
	runAdminScenarios(t, []adminScenario{
		{name: "email normalised", method: "GET", url: lookup("email", " Ann@Example.COM "), wantStatus: 200,
			wantBody: []string{`"id":"p_ann"`, `"traits":{`, `"identities":[`, `"aggregates":{`, `"groups":[`}},
		{name: "phone normalised", method: "GET", url: lookup("phone", "+1 (415) 555-0100"), wantStatus: 200,
			wantBody: []string{`"id":"p_ann"`}},
		{name: "user id", method: "GET", url: lookup("userId", "ann-1"), wantStatus: 200,
			wantBody: []string{`"id":"p_ann"`}},
		{name: "anonymous id", method: "GET", url: lookup("anonymousId", "web-7"), wantStatus: 200,
			wantBody: []string{`"id":"p_ann"`}},
		{name: "group id", method: "GET", url: lookup("groupId", "acme"), wantStatus: 200,
			wantBody: []string{`"id":"p_acme"`, `"kind":"account"`}},
		{name: "unknown", method: "GET", url: lookup("userId", "nobody"), wantStatus: 404,
			wantBody: []string{`"code":"not_found"`}},
		{name: "no parameter", method: "GET", url: "/api/v1/profiles/lookup", wantStatus: 400,
			wantBody: []string{`"code":"invalid"`, "give one of userId"}},
		{name: "two parameters", method: "GET", url: "/api/v1/profiles/lookup?email=a@b.c&userId=x", wantStatus: 400,
			wantBody: []string{"userId and email: give only one identity"}},
		{name: "repeated parameter", method: "GET", url: "/api/v1/profiles/lookup?userId=a&userId=b", wantStatus: 400,
			wantBody: []string{"userId: give it once"}},
		{name: "bad email", method: "GET", url: lookup("email", "not-an-email"), wantStatus: 400,
			wantBody: []string{"email: ", "is not a valid email"}},
		{name: "bad phone", method: "GET", url: lookup("phone", "12"), wantStatus: 400,
			wantBody: []string{"phone: ", "is not a valid phone"}},
		{name: "empty user id", method: "GET", url: lookup("userId", " "), wantStatus: 400,
			wantBody: []string{"userId: "}},
	})
}

func TestAdminProfileList(t *testing.T) {
	runAdminScenarios(t, []adminScenario{
		{name: "all", method: "GET", url: "/api/v1/profiles", wantStatus: 200,
			wantBody: []string{`"total":3`, `"id":"p_acme"`, `"id":"p_ann"`, `"id":"p_bob"`, `"limit":50`,
				`"offset":0`, `"next":""`}},
		{name: "by kind", method: "GET", url: "/api/v1/profiles?kind=account", wantStatus: 200,
			wantBody: []string{`"total":1`, `"id":"p_acme"`}, notBody: []string{"p_ann"}},
		{name: "by trait", method: "GET", url: "/api/v1/profiles?trait.plan=pro", wantStatus: 200,
			wantBody: []string{`"total":1`, `"id":"p_ann"`}, notBody: []string{"p_bob"}},
		{name: "paged", method: "GET", url: "/api/v1/profiles?limit=1&kind=person", wantStatus: 200,
			wantBody: []string{`"total":2`, `"limit":1`, `"id":"p_ann"`, "kind=person", `offset=1"`},
			notBody:  []string{"p_bob"}},
		{name: "last page", method: "GET", url: "/api/v1/profiles?limit=2&offset=2", wantStatus: 200,
			wantBody: []string{`"total":3`, `"id":"p_bob"`, `"next":""`}},
		{name: "two trait filters", method: "GET", url: "/api/v1/profiles?trait.plan=pro&trait.name=Ann",
			wantStatus: 400, wantBody: []string{"only one trait filter"}},
		{name: "trait without key", method: "GET", url: "/api/v1/profiles?trait.=pro", wantStatus: 400,
			wantBody: []string{"name the trait"}},
		{name: "bad kind", method: "GET", url: "/api/v1/profiles?kind=robot", wantStatus: 400,
			wantBody: []string{"kind: must be person or account"}},
		{name: "limit zero", method: "GET", url: "/api/v1/profiles?limit=0", wantStatus: 400,
			wantBody: []string{"limit: must be an integer from 1 to 1000"}},
		{name: "limit too big", method: "GET", url: "/api/v1/profiles?limit=1001", wantStatus: 400,
			wantBody: []string{"limit: "}},
		{name: "limit not a number", method: "GET", url: "/api/v1/profiles?limit=ten", wantStatus: 400,
			wantBody: []string{"limit: "}},
		{name: "negative offset", method: "GET", url: "/api/v1/profiles?offset=-1", wantStatus: 400,
			wantBody: []string{"offset: must be an integer from 0"}},
	})
}

func TestAdminProfileEvents(t *testing.T) {
	runAdminScenarios(t, []adminScenario{
		{name: "all, newest first", method: "GET", url: "/api/v1/profiles/p_ann/events", wantStatus: 200,
			wantBody: []string{`"limit":50`, `"offset":0`, `"next":""`},
			notBody:  []string{"m-b1"},
			after:    adminWantMessageIDs("events", "m-a5", "m-a4", "m-a3", "m-a2", "m-a1")},
		{name: "first page", method: "GET", url: "/api/v1/profiles/p_ann/events?limit=2", wantStatus: 200,
			wantBody: []string{`"limit":2`, "/api/v1/profiles/p_ann/events?limit=2", `offset=2"`},
			after:    adminWantMessageIDs("events", "m-a5", "m-a4")},
		{name: "full last page has no next", method: "GET", url: "/api/v1/profiles/p_ann/events?limit=5",
			wantStatus: 200, wantBody: []string{`"next":""`}},
		{name: "last page", method: "GET", url: "/api/v1/profiles/p_ann/events?limit=2&offset=4", wantStatus: 200,
			wantBody: []string{`"offset":4`, `"next":""`}, after: adminWantMessageIDs("events", "m-a1")},
		{name: "past the end", method: "GET", url: "/api/v1/profiles/p_ann/events?offset=100", wantStatus: 200,
			wantBody: []string{`"events":[]`, `"next":""`}},
		{name: "bad limit", method: "GET", url: "/api/v1/profiles/p_ann/events?limit=5000", wantStatus: 400,
			wantBody: []string{"limit: "}},
		{name: "bad offset", method: "GET", url: "/api/v1/profiles/p_ann/events?offset=x", wantStatus: 400,
			wantBody: []string{"offset: "}},
		{name: "unknown profile", method: "GET", url: "/api/v1/profiles/p_nope/events", wantStatus: 404},
		{name: "merged profile", method: "GET", url: "/api/v1/profiles/p_old/events", wantStatus: 404,
			wantBody: []string{`"mergedInto":"p_ann"`}},
	})
}

func TestAdminLedgerAndMerges(t *testing.T) {
	runAdminScenarios(t, []adminScenario{
		{name: "orders", method: "GET", url: "/api/v1/profiles/p_ann/orders", wantStatus: 200,
			wantBody: []string{`"orderId":"o-1"`, `"revenue":42.5`, `"productId":"rose-12"`, `"currency":"USD"`}},
		{name: "no orders", method: "GET", url: "/api/v1/profiles/p_bob/orders", wantStatus: 200,
			wantBody: []string{`{"orders":[]}`}},
		{name: "orders of unknown", method: "GET", url: "/api/v1/profiles/p_nope/orders", wantStatus: 404},
		{name: "merges", method: "GET", url: "/api/v1/profiles/p_ann/merges", wantStatus: 200,
			wantBody: []string{`"from":"p_old"`, `"into":"p_ann"`, `"reason":"identify ann-1"`}},
		{name: "no merges", method: "GET", url: "/api/v1/profiles/p_bob/merges", wantStatus: 200,
			wantBody: []string{`{"merges":[]}`}},
		{name: "merges of unknown", method: "GET", url: "/api/v1/profiles/p_nope/merges", wantStatus: 404},
	})
}

// adminWantMessageIDs checks, in order, the messageIds of the events listed
// under field of the JSON body.
func adminWantMessageIDs(field string, want ...string) func(*testing.T, *adminFixture, string) {
	return func(t *testing.T, _ *adminFixture, body string) {
		t.Helper()
		var doc map[string]json.RawMessage
		var events []rapport.Event
		if err := json.Unmarshal([]byte(body), &doc); err != nil {
			t.Fatalf("decode body: %v", err)
		}
		if err := json.Unmarshal(doc[field], &events); err != nil {
			t.Fatalf("decode %s: %v", field, err)
		}
		var got []string
		for _, e := range events {
			got = append(got, e.MessageID)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: got messageIds %v, want %v", field, got, want)
		}
	}
}

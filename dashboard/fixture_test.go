package dashboard_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/dashboard"
	"github.com/rapportdev/rapport/membership"
	"github.com/rapportdev/rapport/rescore"
	"github.com/rapportdev/rapport/scoring"
	"github.com/rapportdev/rapport/sqlite"
)

// Secrets of the fixture's keys.
const (
	testAdminToken = "at_dashboard_test"
	testWriteKey   = "wk_dashboard_test"
)

// hostileName is a trait value that would run as script if a page did
// not escape it.
const hostileName = `<script>alert("x")</script>`

// testBase is the time of the first seeded event.
var testBase = time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)

// testClock is a clock the tests move.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// fixture is a dashboard over a real SQLite store holding an admin token,
// a write key, three scored profiles (p_ann, p_bob with a hostile name,
// p_acme), Ann's events and order, and a merge of p_old into p_ann.
type fixture struct {
	srv        *httptest.Server
	store      *sqlite.Store
	keeper     *rescore.Keeper
	segments   *membership.Keeper
	clock      *testClock
	adminKeyID string
	writeKeyID string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "rapport.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{store: st, clock: &testClock{t: testBase.Add(48 * time.Hour)}}
	f.adminKeyID = createKey(t, st, rapport.KeyAdmin, testAdminToken)
	f.writeKeyID = createKey(t, st, rapport.KeyWrite, testWriteKey)
	seed(t, st)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	f.keeper = rescore.NewKeeper(rescore.NewLive(scoring.B2C(), f.clock), st, logger, rescore.Options{})
	t.Cleanup(f.keeper.Close)
	b2c, err := scoring.TemplateYAML("b2c")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.keeper.Declare(ctx, b2c, "template b2c"); err != nil {
		t.Fatalf("declare model: %v", err)
	}
	f.keeper.Start("test")
	if s := f.keeper.Wait(); s.Written != 3 || s.Error != "" {
		t.Fatalf("scoring the fixture: %+v, want 3 scores written", s)
	}
	f.segments = membership.NewKeeper(st, f.clock, logger)
	if err := f.segments.Load(ctx); err != nil {
		t.Fatalf("load segments: %v", err)
	}
	t.Cleanup(f.segments.Close)
	f.srv = f.serve(t)
	return f
}

// testSessionKey signs the fixture's sessions, so a second dashboard over
// the same store accepts them.
var testSessionKey = []byte(strings.Repeat("k", 32))

// serve starts a dashboard over the fixture's store.
func (f *fixture) serve(t *testing.T) *httptest.Server {
	t.Helper()
	// Pages wait for their background figures: the tests check them, and
	// a loaded machine must not make a page show none yet.
	h, err := dashboard.New(dashboard.Config{Store: f.store, Scoring: f.keeper, Segments: f.segments, Clock: f.clock,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), SessionKey: testSessionKey, PageWait: time.Minute})
	if err != nil {
		t.Fatalf("new dashboard: %v", err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// newDashboardOver returns a fixture like f served by a second dashboard.
func newDashboardOver(t *testing.T, f *fixture) *fixture {
	t.Helper()
	g := *f
	g.srv = g.serve(t)
	return &g
}

func createKey(t *testing.T, st rapport.KeyStore, kind rapport.KeyKind, secret string) string {
	t.Helper()
	k := &rapport.Key{ID: rapport.NewID("k_"), Kind: kind, Name: "test " + string(kind),
		Hash: rapport.HashSecret(secret), CreatedAt: testBase}
	if err := st.CreateKey(context.Background(), k); err != nil {
		t.Fatalf("create %s key: %v", kind, err)
	}
	return k.ID
}

func event(id string, typ rapport.EventType, userID, name string, hours int) rapport.Event {
	at := testBase.Add(time.Duration(hours) * time.Hour)
	return rapport.Event{MessageID: id, Type: typ, UserID: userID, Event: name, Timestamp: at, ReceivedAt: at,
		Properties: map[string]any{"note": "</pre><b>bold</b>"}}
}

// seed writes the profiles the way the processor would.
func seed(t *testing.T, st rapport.ProfileStore) {
	t.Helper()
	var events []rapport.Event
	for i := range 30 {
		events = append(events, event("m-a"+string(rune('a'+i)), rapport.EventTrack, "ann-1", "Product Viewed", i))
	}
	events = append(events, event("m-order", rapport.EventTrack, "ann-1", rapport.EventOrderCompleted, 31),
		event("m-b1", rapport.EventIdentify, "bob-1", "", 0))
	for i := range events {
		events[i].Seq = int64(i + 1)
	}
	ann := &rapport.Profile{ID: "p_ann", Kind: rapport.ProfilePerson,
		Traits:     map[string]any{"email": "ann@example.com", "name": "Ann", "age": 41.0, "income": 90000.0},
		TraitTimes: map[string]time.Time{"name": testBase},
		Aggregates: rapport.Aggregates{FirstSeen: testBase, LastSeen: testBase.Add(31 * time.Hour), Orders: 1,
			Revenue: 42.5, AverageOrderValue: 42.5, FirstOrderAt: testBase.Add(31 * time.Hour), LastOrderAt: testBase.Add(31 * time.Hour),
			PurchaseChannels: map[string]int64{"web": 1}, Categories: map[string]float64{"flowers": 42.5}},
		CreatedAt: testBase, UpdatedAt: testBase}
	bob := &rapport.Profile{ID: "p_bob", Kind: rapport.ProfilePerson,
		Traits:    map[string]any{"name": hostileName, "company": `"><img src=x onerror=alert(1)>`},
		CreatedAt: testBase, UpdatedAt: testBase}
	acme := &rapport.Profile{ID: "p_acme", Kind: rapport.ProfileAccount, Traits: map[string]any{"name": "Acme"},
		CreatedAt: testBase, UpdatedAt: testBase}
	link := func(kind rapport.IdentityKind, v, p string) rapport.IdentityLink {
		return rapport.IdentityLink{Identity: rapport.Identity{Kind: kind, Value: v}, ProfileID: p}
	}
	err := st.ApplyChanges(context.Background(), rapport.Changes{
		Events:   events,
		Merges:   []rapport.Merge{{From: "p_old", Into: "p_ann", At: testBase, Reason: "identify ann-1", MessageID: "m-aa"}},
		Profiles: []*rapport.Profile{ann, bob, acme},
		Identities: []rapport.IdentityLink{link(rapport.IdentityUserID, "ann-1", "p_ann"),
			link(rapport.IdentityEmail, "ann@example.com", "p_ann"), link(rapport.IdentityUserID, "bob-1", "p_bob"),
			link(rapport.IdentityGroupID, "acme", "p_acme")},
		Orders: []rapport.Order{{ProfileID: "p_ann", OrderID: "o-1", MessageID: "m-order", At: testBase.Add(31 * time.Hour),
			Revenue: 42.5, Currency: "USD", Products: []rapport.Product{{ID: "rose-12", Category: "flowers", Price: 42.5, Quantity: 1}}}},
		Checkpoint: int64(len(events)),
	})
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
}

// client is a browser: it keeps cookies and does not follow redirects,
// so tests see them.
type client struct {
	f   *fixture
	hc  *http.Client
	url *url.URL
}

func (f *fixture) client(t *testing.T) *client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(f.srv.URL)
	return &client{f: f, url: u, hc: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// response is what a request got.
type response struct {
	status int
	header http.Header
	body   string
}

func (c *client) do(t *testing.T, method, path string, form url.Values) response {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.f.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

func (c *client) get(t *testing.T, path string) response {
	t.Helper()
	return c.do(t, http.MethodGet, path, nil)
}

// post sends a form with the CSRF token of the signed-in session added.
func (c *client) post(t *testing.T, path string, form url.Values) response {
	t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", c.csrf(t))
	}
	return c.do(t, http.MethodPost, path, form)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the CSRF token a page gives its forms.
func (c *client) csrf(t *testing.T) string {
	t.Helper()
	page := "/settings"
	if !c.signedIn() {
		page = "/login"
	}
	m := csrfField.FindStringSubmatch(c.get(t, page).body)
	if m == nil {
		t.Fatalf("no CSRF token on %s", page)
	}
	return m[1]
}

func (c *client) signedIn() bool {
	for _, ck := range c.hc.Jar.Cookies(c.url) {
		if ck.Name == "rapport_session" {
			return true
		}
	}
	return false
}

// signIn signs the client in with the admin token.
func (c *client) signIn(t *testing.T) {
	t.Helper()
	r := c.post(t, "/login", url.Values{"token": {testAdminToken}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/leads" {
		t.Fatalf("sign in: %d to %q, want 303 to /leads\n%s", r.status, r.header.Get("Location"), r.body)
	}
}

// signedIn returns a client of the fixture, signed in.
func (f *fixture) signedIn(t *testing.T) *client {
	t.Helper()
	c := f.client(t)
	c.signIn(t)
	return c
}

// expect checks a response's status and that its body holds every want
// and none of not.
func expect(t *testing.T, name string, r response, status int, want, not []string) {
	t.Helper()
	if r.status != status {
		t.Errorf("%s: status %d, want %d\n%s", name, r.status, status, r.body)
	}
	for _, w := range want {
		if !strings.Contains(r.body, w) {
			t.Errorf("%s: body lacks %q", name, w)
		}
	}
	for _, n := range not {
		if strings.Contains(r.body, n) {
			t.Errorf("%s: body holds %q", name, n)
		}
	}
}

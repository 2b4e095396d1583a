package http_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/rapportdev/rapport"
	rhttp "github.com/rapportdev/rapport/http"
	"github.com/rapportdev/rapport/membership"
	"github.com/rapportdev/rapport/rescore"
	"github.com/rapportdev/rapport/scoring"
	"github.com/rapportdev/rapport/sqlite"
)

// Secrets of the keys every admin fixture holds.
const (
	adminTestToken    = "at_fixture"
	adminTestWriteKey = "wk_fixture"
)

// adminTestBase is the event time of the first seeded event.
var adminTestBase = time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)

// adminFixture is a server over a real SQLite store seeded with three
// profiles (person p_ann, person p_bob, account p_acme), their events, an
// order and a chain of merges (p_older into p_old into p_ann).
type adminFixture struct {
	srv        *httptest.Server
	store      *sqlite.Store
	keeper     *rescore.Keeper
	segments   *membership.Keeper
	adminKeyID string
	writeKeyID string
}

// adminAppender stands in for the group-committing ingest, which the
// admin API never uses: it refuses every event.
type adminAppender struct{}

func (adminAppender) Append(ctx context.Context, events []rapport.Event) error {
	return rapport.Errorf(rapport.EINVALID, "the admin fixture does not ingest")
}

// newAdminFixture returns a served, seeded fixture, closed with the test.
func newAdminFixture(t *testing.T) *adminFixture {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "rapport.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	f := &adminFixture{store: st}
	f.adminKeyID = createAdminTestKey(t, st, rapport.KeyAdmin, adminTestToken)
	f.writeKeyID = createAdminTestKey(t, st, rapport.KeyWrite, adminTestWriteKey)
	seedAdminProfiles(t, st)
	f.keeper = rescore.NewKeeper(rescore.NewLive(scoring.B2C(), rapport.SystemClock{}), st,
		slog.New(slog.NewTextHandler(io.Discard, nil)), rescore.Options{})
	b2c, err := scoring.TemplateYAML("b2c")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.keeper.Declare(ctx, b2c, "template b2c"); err != nil {
		t.Fatalf("declare model: %v", err)
	}
	t.Cleanup(f.keeper.Close)
	f.segments = membership.NewKeeper(st, rapport.SystemClock{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := f.segments.Load(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.segments.Close)
	f.srv = httptest.NewServer(rhttp.NewServer(rhttp.Config{
		Store:    st,
		Ingest:   adminAppender{},
		Scoring:  f.keeper,
		Segments: f.segments,
		Registry: prometheus.NewRegistry(),
		Logger:   slog.New(slog.NewTextHandler(io.Discard, nil)),
	}))
	t.Cleanup(f.srv.Close)
	return f
}

// createAdminTestKey stores a key with the given secret and returns its id.
func createAdminTestKey(t *testing.T, st rapport.KeyStore, kind rapport.KeyKind, secret string) string {
	t.Helper()
	k := &rapport.Key{ID: rapport.NewID("k_"), Kind: kind, Name: "test " + string(kind),
		Hash: rapport.HashSecret(secret), CreatedAt: time.Now().UTC()}
	if err := st.CreateKey(context.Background(), k); err != nil {
		t.Fatalf("create %s key: %v", kind, err)
	}
	return k.ID
}

// adminTestEvent returns a valid event at adminTestBase plus hours.
func adminTestEvent(id string, typ rapport.EventType, userID, anonID, name string, hours int) rapport.Event {
	at := adminTestBase.Add(time.Duration(hours) * time.Hour)
	return rapport.Event{MessageID: id, Type: typ, UserID: userID, AnonymousID: anonID, Event: name,
		Timestamp: at, ReceivedAt: at}
}

// adminEvents returns Ann's five events (m-a1 oldest to m-a5 newest) and
// Bob's one, with log seqs 1 to 6.
func adminEvents() []rapport.Event {
	events := []rapport.Event{
		adminTestEvent("m-a1", rapport.EventIdentify, "ann-1", "web-7", "", 0),
		adminTestEvent("m-a2", rapport.EventPage, "", "web-7", "", 1),
		adminTestEvent("m-a3", rapport.EventPage, "", "web-7", "", 2),
		adminTestEvent("m-a4", rapport.EventTrack, "ann-1", "", rapport.EventOrderCompleted, 3),
		adminTestEvent("m-a5", rapport.EventTrack, "ann-1", "", "Product Viewed", 4),
		adminTestEvent("m-b1", rapport.EventIdentify, "bob-1", "", "", 0),
	}
	for i := range events {
		events[i].Seq = int64(i + 1)
	}
	return events
}

// seedAdminProfiles writes the events, profiles, identities, order and
// merges the way the processor would, in one ApplyChanges from checkpoint 0.
func seedAdminProfiles(t *testing.T, st rapport.ProfileStore) {
	t.Helper()
	ann := &rapport.Profile{ID: "p_ann", Kind: rapport.ProfilePerson,
		Traits: map[string]any{"email": "ann@example.com", "plan": "pro", "name": "Ann"},
		Groups: []string{"acme"},
		Aggregates: rapport.Aggregates{FirstSeen: adminTestBase, LastSeen: adminTestBase.Add(4 * time.Hour),
			Orders: 1, Revenue: 42.5, AverageOrderValue: 42.5, PageViews: 2},
		CreatedAt: adminTestBase, UpdatedAt: adminTestBase.Add(4 * time.Hour)}
	bob := &rapport.Profile{ID: "p_bob", Kind: rapport.ProfilePerson,
		Traits: map[string]any{"plan": "free"}, CreatedAt: adminTestBase, UpdatedAt: adminTestBase}
	acme := &rapport.Profile{ID: "p_acme", Kind: rapport.ProfileAccount,
		Traits: map[string]any{"name": "Acme"}, CreatedAt: adminTestBase, UpdatedAt: adminTestBase}
	changes := rapport.Changes{
		Events: adminEvents(),
		Merges: []rapport.Merge{
			{From: "p_older", Into: "p_old", At: adminTestBase, Reason: "alias web-8", MessageID: "m-x1"},
			{From: "p_old", Into: "p_ann", At: adminTestBase, Reason: "identify ann-1", MessageID: "m-a1"},
		},
		Profiles: []*rapport.Profile{ann, bob, acme},
		Identities: []rapport.IdentityLink{
			adminTestLink(rapport.IdentityUserID, "ann-1", "p_ann"),
			adminTestLink(rapport.IdentityAnonymousID, "web-7", "p_ann"),
			adminTestLink(rapport.IdentityEmail, "ann@example.com", "p_ann"),
			adminTestLink(rapport.IdentityPhone, "+14155550100", "p_ann"),
			adminTestLink(rapport.IdentityUserID, "bob-1", "p_bob"),
			adminTestLink(rapport.IdentityGroupID, "acme", "p_acme"),
		},
		Orders: []rapport.Order{{ProfileID: "p_ann", OrderID: "o-1", MessageID: "m-a4",
			At: adminTestBase.Add(3 * time.Hour), Revenue: 42.5, Currency: "USD",
			Products: []rapport.Product{{ID: "rose-12", Category: "flowers", Price: 42.5, Quantity: 1}}}},
		Base:       0,
		Checkpoint: 6,
	}
	if err := st.ApplyChanges(context.Background(), changes); err != nil {
		t.Fatalf("apply changes: %v", err)
	}
}

// adminTestLink points an identity at a profile.
func adminTestLink(kind rapport.IdentityKind, value, profileID string) rapport.IdentityLink {
	return rapport.IdentityLink{Identity: rapport.Identity{Kind: kind, Value: value}, ProfileID: profileID}
}

// do sends a request to the fixture's server with the given headers and
// returns the status, headers and body.
func (f *adminFixture) do(t *testing.T, method, path, body string, headers map[string]string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, f.srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatalf("new request %s %s: %v", method, path, err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

// adminHeaders authenticate as the fixture's admin token.
func adminHeaders() map[string]string {
	return map[string]string{"Authorization": "Bearer " + adminTestToken}
}

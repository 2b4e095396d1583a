package report_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/sqlite"
)

// now is the time the reports are computed at.
var now = time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC)

// weeksAgo is now minus w weeks.
func weeksAgo(w float64) time.Time {
	return now.Add(-time.Duration(w * float64(7*24*time.Hour)))
}

// openStore opens a SQLite store in a temporary directory, closed with the
// test.
func openStore(t testing.TB) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "rapport.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// putProfiles writes profiles as the processor would, in batches of 5000.
func putProfiles(t testing.TB, st rapport.Store, profiles []*rapport.Profile) {
	t.Helper()
	ctx := context.Background()
	for start := 0; start < len(profiles); start += 5000 {
		base, err := st.Checkpoint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		batch := profiles[start:min(start+5000, len(profiles))]
		var links []rapport.IdentityLink
		for _, p := range batch {
			for _, id := range p.Identities {
				links = append(links, rapport.IdentityLink{Identity: id, ProfileID: p.ID})
			}
		}
		if err := st.ApplyChanges(ctx, rapport.Changes{Profiles: batch, Identities: links, Base: base, Checkpoint: base + 1}); err != nil {
			t.Fatalf("apply profiles: %v", err)
		}
	}
}

// putSegment stores a segment and enters the given profiles into it.
func putSegment(t testing.TB, st rapport.Store, s *rapport.Segment, members ...string) {
	t.Helper()
	ctx := context.Background()
	s.CreatedAt, s.UpdatedAt = now, now
	if err := st.PutSegment(ctx, s); err != nil {
		t.Fatalf("put segment %s: %v", s.ID, err)
	}
	changes := make([]rapport.MembershipChange, len(members))
	for i, id := range members {
		changes[i] = rapport.MembershipChange{SegmentID: s.ID, ProfileID: id, Entered: true, At: now}
	}
	if err := st.ApplyMemberships(ctx, changes); err != nil {
		t.Fatalf("enter members of %s: %v", s.ID, err)
	}
}

// person is a person profile with a userId.
func person(id, userID string, traits map[string]any, a rapport.Aggregates) *rapport.Profile {
	return &rapport.Profile{ID: id, Kind: rapport.ProfilePerson, Traits: traits, Aggregates: a,
		Identities: []rapport.Identity{{Kind: rapport.IdentityUserID, Value: userID}}, CreatedAt: a.FirstSeen, UpdatedAt: now}
}

// shopPersona is the card stored with the shop's discovered bucket.
const shopPersona = `{"cluster":0,"size":2,"share":0.5,"medians":{"frequency":1,"monetary":50},` +
	`"channel":"phone","channel_share":1,"top_categories":[{"name":"Sale","share":0.8},{"name":"Socks","share":0.2}],` +
	`"traits":["infrequent","service_heavy"],"label":"Service-heavy bargain hunters","story":"They call, and buy on sale."}`

// shop stores a small shop whose figures docs/economics.md's definitions
// give by hand (default options):
//
//	p_a "ann": 3 orders, 300, no cost known (margin 90); service_effort 8,
//	  10 emails sent: cost to serve 80.20; seen 20 weeks.
//	p_b "=bob": 1 order, 50, cost 20 (margin 30); 2 tickets: cost 20.
//	p_c "cy": 5 orders, 500, 350 of it costed at 200 (margin 150 + 0.3 ×
//	  150 = 195); 4 emails opened, none sent tracked: cost 0.08.
//	p_v: a visitor sent 3 emails, no order; p_acme: an account.
//
// Segments: rule big-spenders {p_a, p_c}, rule empty {}, cluster-1
// "+Bargain hunters" {p_b, p_v}.
func shop(t testing.TB) *sqlite.Store {
	t.Helper()
	st := openStore(t)
	putProfiles(t, st, []*rapport.Profile{
		person("p_a", "ann", map[string]any{"service_effort": 8.0}, rapport.Aggregates{
			FirstSeen: weeksAgo(20), Orders: 3, Revenue: 300, AverageOrderValue: 100,
			FirstOrderAt: weeksAgo(20), LastOrderAt: weeksAgo(1), Events: map[string]int64{"Email Sent": 10}}),
		person("p_b", "=bob", nil, rapport.Aggregates{
			FirstSeen: weeksAgo(10), Orders: 1, Revenue: 50, Cost: 20, Margin: 30, AverageOrderValue: 50,
			FirstOrderAt: weeksAgo(10), LastOrderAt: weeksAgo(10), Events: map[string]int64{"Support Ticket Opened": 2}}),
		person("p_c", "cy", nil, rapport.Aggregates{
			FirstSeen: weeksAgo(30), Orders: 5, Revenue: 500, Cost: 200, Margin: 150, AverageOrderValue: 100,
			FirstOrderAt: weeksAgo(30), LastOrderAt: weeksAgo(2), Events: map[string]int64{"Email Opened": 4}}),
		person("p_v", "vi", nil, rapport.Aggregates{FirstSeen: weeksAgo(3), Events: map[string]int64{"Email Sent": 3}}),
		{ID: "p_acme", Kind: rapport.ProfileAccount, Traits: map[string]any{"name": "Acme"}, CreatedAt: now, UpdatedAt: now},
	})
	putSegment(t, st, &rapport.Segment{ID: "big-spenders", Name: "Big spenders", Kind: rapport.SegmentRule, Expression: "revenue >= 100"}, "p_a", "p_c")
	putSegment(t, st, &rapport.Segment{ID: "empty", Name: "Nobody", Kind: rapport.SegmentRule, Expression: "false"})
	putSegment(t, st, &rapport.Segment{ID: "cluster-1", Name: "+Bargain hunters", Kind: rapport.SegmentCluster,
		Persona: []byte(shopPersona)}, "p_b", "p_v")
	return st
}

package storetest

import (
	"context"
	"testing"

	"github.com/rapportdev/rapport"
)

// testMembershipsStale checks that ApplyMemberships skips a change
// computed from a copy of the profile older than the stored one (Seen
// before its UpdatedAt): the processor decided from newer facts.
func testMembershipsStale(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	for _, id := range []string{"vip", "lapsed"} {
		if err := s.PutSegment(ctx, ruleSegment(id, "true")); err != nil {
			t.Fatal(err)
		}
	}
	p1, p2 := person("p1"), person("p2")
	p1.UpdatedAt, p2.UpdatedAt = at(10), at(10)
	apply(t, s, rapport.Changes{Profiles: []*rapport.Profile{p1, p2},
		Memberships: []rapport.MembershipChange{enter("lapsed", "p1", 1), enter("lapsed", "p2", 1)}, Checkpoint: 1})

	seen := func(m rapport.MembershipChange, n int) rapport.MembershipChange { m.Seen = at(n); return m }
	if err := s.ApplyMemberships(ctx, []rapport.MembershipChange{
		seen(enter("vip", "p1", 11), 9),    // computed before the profile's update: skipped
		seen(leave("lapsed", "p1", 11), 9), // likewise
		seen(enter("vip", "p2", 11), 10),   // from the stored copy: applied
		seen(leave("lapsed", "p2", 11), 10),
	}); err != nil {
		t.Fatalf("ApplyMemberships: %v", err)
	}
	ms, err := s.FindMemberships(ctx, []string{"p1", "p2"})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "memberships after stale and current changes", ms, map[string][]string{"p1": {"lapsed"}, "p2": {"vip"}})
	hist, err := s.FindHistory(ctx, rapport.HistoryFilter{ProfileID: "p1"})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "a skipped change leaves no history", hist, []rapport.MembershipChange{enter("lapsed", "p1", 1)})
}

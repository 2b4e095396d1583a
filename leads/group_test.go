package leads

import (
	"testing"
	"time"

	"github.com/rapportdev/rapport"
)

// TestTakeKeepsOneCapPerTerm checks that a group never holds two caps of
// one vendor's term: calls that agree share a group and its caps once;
// a call made after the UTC day turned starts the next group.
func TestTakeKeepsOneCapPerTerm(t *testing.T) {
	day := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	daily := func(v string, since time.Time) []rapport.LeadCap {
		return []rapport.LeadCap{{VendorID: v, Term: "terms.dailyCap", Limit: 2, Since: since}}
	}
	call := func(caps []rapport.LeadCap) *groupCall {
		return &groupCall{leads: []rapport.Lead{{}}, caps: caps}
	}
	g := &grouper{queue: []*groupCall{call(daily("a", day)), call(nil), call(daily("a", day)), call(daily("b", day)),
		call(daily("a", day.AddDate(0, 0, 1))), call(daily("a", day.AddDate(0, 0, 1)))}}
	for i, want := range []struct{ calls, caps int }{{4, 2}, {2, 1}, {0, 0}} {
		calls, caps := g.take()
		if len(calls) != want.calls || len(caps) != want.caps {
			t.Fatalf("group %d: %d calls with %d caps %+v; want %d with %d", i, len(calls), len(caps), caps, want.calls, want.caps)
		}
	}
}

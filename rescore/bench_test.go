package rescore_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/rescore"
	"github.com/rapportdev/rapport/scoring"
)

// BenchmarkLiveRescore is one profile's share of a pass without the store:
// score it and encode what is stored.
func BenchmarkLiveRescore(b *testing.B) {
	live := rescore.NewLive(scoring.B2C(), fixedClock{now})
	p := &rapport.Profile{ID: "p1", Kind: rapport.ProfilePerson,
		Traits:    map[string]any{"email": "a@example.com", "age": 41.0, "income": 85000.0, "gender": "female"},
		CreatedAt: now.AddDate(-1, 0, 0), UpdatedAt: now.AddDate(0, -1, 0)}
	a := &p.Aggregates
	a.FirstSeen, a.LastSeen = p.CreatedAt, p.UpdatedAt
	a.Events = map[string]int64{"identify": 1, "page": 12, rapport.EventOrderCompleted: 3}
	a.Orders, a.Revenue, a.FirstOrderAt, a.LastOrderAt = 3, 240, p.CreatedAt, p.UpdatedAt.Add(-time.Hour)
	rec, _, err := live.Rescore(p, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := live.Rescore(p, &rec); err != nil {
			b.Fatal(fmt.Sprint(err))
		}
	}
}

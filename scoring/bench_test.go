package scoring_test

import (
	"testing"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/scoring"
)

// benchProfile is a three-year B2C customer with traits for every fit
// rule and a history of orders and visits.
func benchProfile() (*rapport.Profile, scoring.State, *rapport.Event) {
	m := scoring.B2C()
	p := person(map[string]any{"age": 52, "gender": "female", "income": 95000, "occupation": "nurse",
		"marital_status": "married", "children": 2, "home_size": 1800,
		"address":       map[string]any{"postal_code": "10115"},
		"subscriptions": []any{"newsletter"}, "association_memberships": []any{"aarp"}},
		"email:b@example.com")
	var st scoring.State
	for _, h := range everyFewMonths(20*day, "a", "b") {
		ev := h(p)
		scoring.Score(m, p, &st, ev, ev.Timestamp)
	}
	scoring.Score(m, p, &st, track(p, "Office Visited", now.Add(-day)), now.Add(-day))
	return p, st, page(p, now)
}

func BenchmarkScore(b *testing.B) {
	m := scoring.B2C()
	p, st, ev := benchProfile()
	b.ReportAllocs()
	for b.Loop() {
		scoring.Score(m, p, &st, ev, now)
	}
}

func BenchmarkRescore(b *testing.B) {
	m := scoring.B2C()
	p, st, _ := benchProfile()
	b.ReportAllocs()
	for b.Loop() {
		scoring.Rescore(m, p, &st, now)
	}
}

// BenchmarkRescoreParallel rescores on every core, as a bulk rescoring of
// all profiles would: ns/op is the wall time per profile.
func BenchmarkRescoreParallel(b *testing.B) {
	m := scoring.B2C()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		p, st, _ := benchProfile()
		for pb.Next() {
			scoring.Rescore(m, p, &st, now)
		}
	})
}

// BenchmarkRescoreBriefParallel is the in-memory pass's scoring: no
// explanation, on every core.
func BenchmarkRescoreBriefParallel(b *testing.B) {
	m := scoring.B2C()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		p, st, _ := benchProfile()
		s := scoring.SubjectOf(p)
		for pb.Next() {
			scoring.RescoreBrief(m, &s, &st, now)
		}
	})
}

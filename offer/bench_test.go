package offer_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/offer"
)

// BenchmarkDecide200 is one decision over a catalog of 200 offers whose
// eligibility reads segments (50 of them), the zone, the page, scores,
// aggregates and the time, for a person in five segments with a week of
// outcomes: the in-process cost the latency target (p99 ≤ 1 ms) is about.
func BenchmarkDecide200(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	var offers []*rapport.Offer
	for i := range 200 {
		seg := fmt.Sprintf("seg-%02d", r.IntN(50))
		exprs := []string{
			fmt.Sprintf(`%q in segments && zone == "deli"`, seg),
			fmt.Sprintf(`%q in segments || orders >= %d`, seg, 1+r.IntN(5)),
			`zone == "deli" && hour >= 6`,
			fmt.Sprintf(`page startsWith "/c/%d" || (categories.wine ?? 0) > 100`, r.IntN(10)),
			fmt.Sprintf(`stage in ["repeat_customer", "loyal_customer"] && %q in segments`, seg),
			`engagement >= 40 || count("Beacon Entered", 30) >= 2`,
		}
		offers = append(offers, testOffer(fmt.Sprintf("o%03d", i), exprs[i%len(exprs)], float64(1+r.IntN(20))))
	}
	e := testEngineB(b, offers)
	for i := range 5000 {
		typ := rapport.OutcomeDismissed
		if i%5 == 0 {
			typ = rapport.OutcomeAccepted
		}
		e.Learner().Observe(rapport.Outcome{OfferID: fmt.Sprintf("o%03d", r.IntN(200)), Arm: "stage:loyal_customer", Type: typ, At: t0})
	}
	p := person("p1")
	p.Aggregates.Orders = 3
	p.Aggregates.Categories = map[string]float64{"wine": 150}
	var history []rapport.Outcome
	for i := range 20 {
		history = append(history, outcome(fmt.Sprint(i), fmt.Sprintf("o%03d", i), rapport.OutcomeShown, -i*300))
	}
	in := offer.Input{Profile: p, Score: &rapport.ScoreRecord{Stage: "loyal_customer", Engagement: 55},
		Segments: []string{"seg-01", "seg-07", "seg-13", "seg-22", "seg-40"}, History: history, Now: t0,
		Context: rapport.DecisionContext{Channel: "web", Zone: "deli", Page: "/c/3/item"}}
	eligible := countEligible(e, in)
	b.ResetTimer()
	for range b.N {
		e.Decide(in)
	}
	b.ReportMetric(float64(eligible), "eligible")
}

// countEligible counts the offers a decision could rank (with no limit).
func countEligible(e *offer.Engine, in offer.Input) int {
	in.Limit = 1000
	return len(e.Decide(in).Offers)
}

func testEngineB(b *testing.B, offers []*rapport.Offer) *offer.Engine {
	var compiled []*offer.Offer
	for _, o := range offers {
		c, err := offer.CompileOffer(o)
		if err != nil {
			b.Fatal(err)
		}
		compiled = append(compiled, c)
	}
	cat, _ := offer.NewCatalog(compiled, nil)
	p := offer.DefaultPolicy()
	p.Timezone = time.UTC
	e := offer.NewEngine(p, 1)
	e.SetCatalog(cat)
	return e
}

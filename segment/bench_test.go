package segment

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
)

// BenchmarkMembership100 evaluates 100 realistic segments for one profile,
// as the processor does after each applied event: build the Env, evaluate,
// diff with the previous membership.
func BenchmarkMembership100(b *testing.B) {
	set, err := NewSet(realisticSegments(b, 100)...)
	if err != nil {
		b.Fatal(err)
	}
	p, score, h := shopper()
	rfm := RFM{R: 5, F: 4, M: 4, Group: Champions}
	env := NewEnv(p, score, h, rfm, now)
	before := set.Evaluate(&env)
	b.ReportAllocs()
	for b.Loop() {
		env := NewEnv(p, score, h, rfm, now)
		after := set.Evaluate(&env)
		set.Diff(before, after)
	}
	if f := set.Failures(); len(f) > 0 {
		b.Fatalf("failures: %+v", f)
	}
}

// countPredicates go from a single comparison to a compound of strings,
// numbers and traits.
var countPredicates = []string{
	`orders >= 2`,
	`grade == "A" && engagement >= 70`,
	`stage in ["loyal_customer", "advocate"] && days_since_last_order <= 90`,
	`purchase_channels["in-store"] > 0 || revenue >= 500`,
	`traits.influencer == true || (traits.followers ?? 0) >= 10000`,
	`(grade in ["A", "B"] && engagement >= 50 || orders >= 5) && !(stage == "lapsed")`,
}

var (
	bigColumns     *Columns
	bigColumnsOnce sync.Once
)

// syntheticColumns builds n profiles with the skewed distributions of a
// shop: most people never order, few order often, revenue follows orders.
func syntheticColumns(tb testing.TB, n int) *Columns {
	tb.Helper()
	var segs []*Segment
	for i, src := range countPredicates {
		segs = append(segs, mustCompile(tb, fmt.Sprint("p", i), src))
	}
	cols := NewColumns(SchemaFor(segs...), now)
	cols.Grow(n)
	r := rand.New(rand.NewPCG(1, 1))
	grades := []string{"A", "B", "B", "C", "C", "C", "D", "D", "D", "D"}
	stages := []string{"prospect", "prospect", "prospect", "lead", "lead", "new_customer", "repeat_customer", "loyal_customer", "advocate", "at_risk", "lapsed"}
	env := Env{Traits: map[string]any{}, PurchaseChannels: map[string]int64{}, Now: now}
	for range n {
		clear(env.Traits)
		clear(env.PurchaseChannels)
		env.Orders = 0
		if r.IntN(3) == 0 {
			env.Orders = 1 + int(r.ExpFloat64()*1.5)
		}
		env.Revenue = float64(env.Orders) * (20 + r.ExpFloat64()*60)
		env.Engagement = float64(r.IntN(101))
		env.Grade = grades[r.IntN(len(grades))]
		env.Stage = stages[r.IntN(len(stages))]
		env.DaysSinceLastOrder = NeverDays
		if env.Orders > 0 {
			env.DaysSinceLastOrder = float64(r.IntN(730))
			if r.IntN(4) == 0 {
				env.PurchaseChannels["in-store"] = int64(1 + r.IntN(env.Orders))
			}
		}
		if r.IntN(5) == 0 {
			env.Traits["followers"] = float64(int(r.ExpFloat64() * 2000))
		}
		if r.IntN(50) == 0 {
			env.Traits["influencer"] = true
		}
		cols.Append(&env)
	}
	return cols
}

// BenchmarkCount10M counts members over ten million profiles held in
// Columns, for predicates from simple to compound.
func BenchmarkCount10M(b *testing.B) {
	bigColumnsOnce.Do(func() { bigColumns = syntheticColumns(b, 10_000_000) })
	for i, src := range countPredicates {
		seg := mustCompile(b, fmt.Sprint("p", i), src)
		b.Run(fmt.Sprint("p", i), func(b *testing.B) {
			n := 0
			for b.Loop() {
				var err error
				if n, err = Count(seg, bigColumns); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n), "members")
		})
	}
}

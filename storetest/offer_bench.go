package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
)

// benchOutcomeDecisions is how many decisions BenchmarkOfferFunnel seeds:
// $RAPPORT_BENCH_DECISIONS, else 100,000.
func benchOutcomeDecisions(b *testing.B) int {
	n := 100_000
	if v := os.Getenv("RAPPORT_BENCH_DECISIONS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n <= 0 {
			b.Fatalf("RAPPORT_BENCH_DECISIONS=%q: want a positive number", v)
		}
	}
	return n
}

// BenchmarkOfferFunnel seeds decisions over 400 days (200 offers of the
// three stages, 50 arms, one person in ten decided for at most ten
// times a year, 5% in the control group; each shown and then accepted
// one time in five, else dismissed), then measures the funnel of the last
// 12 weeks per week, the report's counts of the last 90 days, and, once,
// a trim of the oldest half. The figures of docs/benchmarks.md#offers-issue-5.
func BenchmarkOfferFunnel(b *testing.B, open func(b *testing.B) rapport.Store) {
	ctx := context.Background()
	s := open(b)
	defer s.Close()
	now := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	stages := map[string]string{}
	for i := range 200 {
		stages[fmt.Sprintf("o%d", i)] = rapport.OfferStages[i%3]
	}
	n := benchOutcomeDecisions(b)
	start := time.Now()
	seedBenchOutcomes(b, s, n, now)
	b.Logf("seeded %d decisions (%d outcomes) in %s", n, 2*n, time.Since(start).Round(time.Millisecond))
	b.Run("funnel", func(b *testing.B) {
		q := rapport.FunnelQuery{Stages: stages, From: now.AddDate(0, 0, -84), To: now, Origin: now.AddDate(0, 0, -84),
			Length: 7 * 24 * time.Hour}
		for b.Loop() {
			if _, err := s.FindOfferFunnel(ctx, q); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("stats", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.FindOfferStats(ctx, now.AddDate(0, 0, -90)); err != nil {
				b.Fatal(err)
			}
		}
	})
	start = time.Now()
	trim, err := s.TrimOffers(ctx, now.AddDate(0, 0, -200))
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("trimmed %d outcomes older than 200 days in %s", trim.Outcomes, time.Since(start).Round(time.Millisecond))
}

// seedBenchOutcomes records n decisions' shows and answers, 10,000
// outcomes a transaction.
func seedBenchOutcomes(b *testing.B, s rapport.Store, n int, now time.Time) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 2))
	people := max(n/10, 1)
	var batch []rapport.Outcome
	for d := range n {
		at := now.Add(-time.Duration(r.Int64N(int64(400 * 24 * time.Hour))))
		o := rapport.Outcome{DecisionID: fmt.Sprintf("d%d", d), OfferID: fmt.Sprintf("o%d", r.IntN(200)),
			ProfileID: fmt.Sprintf("p%d", r.IntN(people)), Type: rapport.OutcomeShown, Channel: "web",
			Arm: fmt.Sprintf("seg%d", r.IntN(50)), At: at, Control: r.IntN(20) == 0}
		batch = append(batch, o)
		o.Type, o.At = rapport.OutcomeDismissed, at.Add(time.Minute)
		if r.IntN(5) == 0 {
			o.Type = rapport.OutcomeAccepted
		}
		batch = append(batch, o)
		if len(batch) >= 10_000 || d == n-1 {
			if _, err := s.RecordOutcomes(ctx, batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
}

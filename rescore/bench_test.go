package rescore_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
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

// hotOf returns a Hot of n people kept by the processor's path (Score,
// Record, Applied), a third of them customers, with their Live.
func hotOf(b *testing.B, n int) (*rescore.Hot, *rescore.Live, []rapport.ScoreRecord) {
	m, err := scoring.B2C().WithVersion(1)
	if err != nil {
		b.Fatal(err)
	}
	live, hot := rescore.NewLive(m, fixedClock{now}), rescore.NewHot()
	live.UseHot(hot)
	var c rapport.Changes
	names := []string{"page", "Email Opened", "Email Link Clicked", "Store Visited"}
	for i := range n {
		p := &rapport.Profile{ID: fmt.Sprintf("p%07d", i), Kind: rapport.ProfilePerson,
			Traits: map[string]any{"email": fmt.Sprintf("p%d@example.com", i), "age": float64(20 + i%50),
				"income": float64(20000 + i%90000), "gender": []string{"female", "male"}[i%2]},
			Identities: []rapport.Identity{{Kind: rapport.IdentityEmail, Value: fmt.Sprintf("p%d@example.com", i)}}}
		a := &p.Aggregates
		a.Events = map[string]int64{"identify": 1}
		if i%3 == 0 {
			a.Orders, a.FirstOrderAt, a.LastOrderAt = int64(1+i%7), now.AddDate(-2, 0, 0), now.AddDate(0, 0, -i%400)
			a.Categories = map[string]float64{"books": 10}
		}
		w, _ := live.Load(nil)
		for k := range 1 + i%4 {
			ev := &rapport.Event{Type: rapport.EventTrack, Event: names[(i+k)%len(names)], Timestamp: now.Add(-time.Duration(i%90+k) * 24 * time.Hour)}
			a.Events[ev.Event]++
			if _, err := live.Score(p, w, ev); err != nil {
				b.Fatal(err)
			}
		}
		rec, err := live.Record(p.ID, w)
		if err != nil {
			b.Fatal(err)
		}
		c.Profiles, c.Scores = append(c.Profiles, p), append(c.Scores, rec)
	}
	live.Applied(c)
	return hot, live, c.Scores
}

// benchHot is BenchmarkHotRescore's Hot, made once: the benchmark runs
// several times to find its b.N.
var (
	benchHotOnce sync.Once
	benchHot     *rescore.Hot
)

// BenchmarkHotRescore is the pass in memory after a model change, on
// every core: one op rescores 200,000 profiles; ns/profile is the wall
// time per profile (×10⁶: seconds per million).
func BenchmarkHotRescore(b *testing.B) {
	const n = 200_000
	benchHotOnce.Do(func() { benchHot, _, _ = hotOf(b, n) })
	m, _ := scoring.B2C().WithVersion(2)
	runtime.GC()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if _, _, err := benchHot.RescoreHot(context.Background(), m, now.Add(time.Duration(i)), 0); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/profile")
}

// BenchmarkLiveLoad is the processor loading a profile's working state
// once per batch: decoding the stored JSON, or copying it from Hot.
func BenchmarkLiveLoad(b *testing.B) {
	hot, live, recs := hotOf(b, 1000)
	_ = hot
	b.Run("json", func(b *testing.B) {
		plain := rescore.NewLive(live.Model(), fixedClock{now})
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := plain.Load(&recs[i%len(recs)]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("hot", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := live.Load(&recs[i%len(recs)]); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkLiveApplied is what keeping Hot current adds to the processor
// per profile and batch (batches of 1,000 profiles): the projection, the
// state Record kept, the entry's update.
func BenchmarkLiveApplied(b *testing.B) {
	_, live, recs := hotOf(b, 1000)
	c := rapport.Changes{Scores: recs}
	for i := range recs {
		p := &rapport.Profile{ID: recs[i].ProfileID, Traits: map[string]any{"age": 40.0, "gender": "female", "income": 50000.0},
			Aggregates: rapport.Aggregates{Events: map[string]int64{"identify": 1, "page": 3, "Email Opened": 2}}}
		c.Profiles = append(c.Profiles, p)
	}
	ev := &rapport.Event{Type: rapport.EventPage, Timestamp: now}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		for j := range recs {
			w, err := live.Load(&recs[j])
			if err != nil {
				b.Fatal(err)
			}
			if _, err := live.Score(c.Profiles[j], w, ev); err != nil {
				b.Fatal(err)
			}
			if c.Scores[j], err = live.Record(recs[j].ProfileID, w); err != nil {
				b.Fatal(err)
			}
		}
		recs = c.Scores
		b.StartTimer()
		live.Applied(c)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(recs)), "ns/profile")
}

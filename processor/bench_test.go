package processor_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/processor"
	"github.com/rapportdev/rapport/sqlite"
)

// benchEvents returns n realistic events over the given number of people:
// mostly browser page views, some tracks, identifies with an email, and
// orders with two product lines.
func benchEvents(n, people int) []rapport.Event {
	r := rand.New(rand.NewPCG(1, 2))
	web := map[string]any{"library": map[string]any{"name": "analytics.js", "version": "4.1.0"}, "ip": "203.0.113.9"}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	events := make([]rapport.Event, n)
	for i := range events {
		person := r.IntN(people)
		ev := rapport.Event{
			MessageID: fmt.Sprintf("m%d", i), AnonymousID: fmt.Sprintf("anon-%d", person), Context: web,
			Timestamp: start.Add(time.Duration(i) * time.Second), ReceivedAt: start.Add(time.Duration(i) * time.Second),
		}
		switch k := r.IntN(100); {
		case k < 60:
			ev.Type, ev.Name = rapport.EventPage, "Home"
		case k < 85:
			ev.Type, ev.Event = rapport.EventTrack, "Product Viewed"
			ev.Properties = map[string]any{"product_id": "sku-1", "price": 19.9}
		case k < 95:
			ev.Type, ev.UserID = rapport.EventIdentify, fmt.Sprintf("user-%d", person)
			ev.Traits = map[string]any{"email": fmt.Sprintf("p%d@example.com", person), "plan": "pro", "age": 31.0}
		default:
			ev.Type, ev.Event = rapport.EventTrack, rapport.EventOrderCompleted
			ev.Properties = map[string]any{"order_id": fmt.Sprintf("o%d", i), "revenue": "59.70", "currency": "USD",
				"products": []any{
					map[string]any{"product_id": "a", "category": "Shoes", "brand": "Ace", "price": 19.9, "quantity": 2.0},
					map[string]any{"product_id": "b", "category": "Socks", "brand": "Ace", "price": "19.90"},
				}}
		}
		events[i] = ev
	}
	return events
}

// BenchmarkCatchUp measures applying end to end with SQLite: 100,000
// events over 10,000 people, read from the log, deduplicated, applied and
// written back with their events. Appending the events is not timed.
// "fixed" keeps batches of 1000; "growing" lets them grow while behind,
// as the default options do.
func BenchmarkCatchUp(b *testing.B) {
	b.Run("fixed", func(b *testing.B) { benchCatchUp(b, processor.Options{MaxBatchSize: processor.DefaultBatchSize}) })
	b.Run("growing", func(b *testing.B) { benchCatchUp(b, processor.Options{}) })
}

func benchCatchUp(b *testing.B, opts processor.Options) {
	const events, people = 100_000, 10_000
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := b.TempDir()
		l, err := sqlite.OpenLog(ctx, filepath.Join(dir, "log.db"))
		if err != nil {
			b.Fatal(err)
		}
		s, err := sqlite.Open(ctx, filepath.Join(dir, "rapport.db"))
		if err != nil {
			b.Fatal(err)
		}
		evs := benchEvents(events, people)
		for lo := 0; lo < len(evs); lo += 5000 {
			if err := l.Append(ctx, evs[lo:min(lo+5000, len(evs))]); err != nil {
				b.Fatal(err)
			}
		}
		p := newProcessor(l, s, opts)
		b.StartTimer()
		n, err := p.CatchUp(ctx)
		b.StopTimer()
		if err != nil || n != events {
			b.Fatalf("catch up = %d, %v, want %d", n, err, events)
		}
		s.Close()
		l.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.N*events)/b.Elapsed().Seconds(), "events/s")
}

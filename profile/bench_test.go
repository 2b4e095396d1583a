package profile_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
)

// benchEvents returns n realistic events over the given number of people:
// mostly page views from the browser, some tracks, identifies with email,
// and orders with two product lines.
func benchEvents(n, people int) []*rapport.Event {
	r := rand.New(rand.NewPCG(1, 2))
	web := map[string]any{"library": map[string]any{"name": "analytics.js", "version": "4.1.0"}, "ip": "203.0.113.9"}
	events := make([]*rapport.Event, n)
	for i := range events {
		person := r.IntN(people)
		ev := &rapport.Event{
			Seq: int64(i + 1), MessageID: fmt.Sprintf("m%d", i), AnonymousID: fmt.Sprintf("anon-%d", person),
			Context: web, Timestamp: at(0).Add(time.Duration(i) * time.Second),
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

// BenchmarkApply measures pure applying: batches of 1000 events on top of
// an in-memory view of 10,000 people. Committing to the view is not timed.
func BenchmarkApply(b *testing.B) {
	const batchSize = 1000
	events := benchEvents(100_000, 10_000)
	v := newMemView()
	ctx := context.Background()
	t := &testing.T{}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; {
		batch := v.applier().NewBatch(v, v.cp)
		for j := 0; j < batchSize && i < b.N; j, i = j+1, i+1 {
			ev := *events[i%len(events)]
			ev.Seq = v.cp + int64(j) + 1
			if err := batch.Apply(ctx, &ev); err != nil {
				b.Fatal(err)
			}
		}
		c := batch.Changes()
		b.StopTimer()
		v.commit(t, c)
		b.StartTimer()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

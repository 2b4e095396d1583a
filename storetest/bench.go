package storetest

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/bench"
)

// BenchmarkLogAppend measures Log.Append with batches of 100 and 1000
// events of about 570 bytes of JSON each, and reports events/s and the
// process CPU time per event. Each sub-benchmark gets a fresh log from
// open.
func BenchmarkLogAppend(b *testing.B, open func(b *testing.B) rapport.EventLog) {
	for _, size := range []int{100, 1000} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) {
			l := open(b)
			defer l.Close()
			ctx := context.Background()
			template := benchEvents(0, size)
			n := 0
			cpu := bench.CPUTime()
			b.ResetTimer()
			for b.Loop() {
				// Only the MessageID changes: building events is not
				// what is measured.
				batch := slices.Clone(template)
				for i := range batch {
					batch[i].MessageID = "ajs-next-" + strconv.Itoa(n)
					n++
				}
				if err := l.Append(ctx, batch); err != nil {
					b.Fatalf("Append: %v", err)
				}
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
			reportCPU(b, bench.CPUTime()-cpu, n, "cpu-µs/event")
		})
	}
}

// reportCPU reports used, process CPU time, per unit. On a shared
// machine throughput measures the neighbours too; CPU time per event says
// what the backend itself costs (the database server's CPU, for
// PostgreSQL, is not counted).
func reportCPU(b *testing.B, used time.Duration, n int, unit string) {
	if used > 0 && n > 0 {
		b.ReportMetric(float64(used.Microseconds())/float64(n), unit)
	}
}

// benchEvent returns the n-th event of a realistic stream: a product view
// from a browser with the usual context, about 570 bytes as JSON.
func benchEvent(n int) rapport.Event {
	ts := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(n) * time.Millisecond)
	return rapport.Event{
		SourceID: "src_web", MessageID: fmt.Sprintf("ajs-next-%016x-%08d", n*7919, n), Type: rapport.EventTrack,
		AnonymousID: fmt.Sprintf("anon-%06d", n%50000), UserID: fmt.Sprintf("user-%05d", n%20000),
		Event:      "Product Viewed",
		Properties: map[string]any{"product_id": "507f1f77bcf86cd799439011", "category": "Games", "price": 18.99, "currency": "USD"},
		Context: map[string]any{"ip": "192.0.2.44", "locale": "en-US", "userAgent": "Mozilla/5.0 (X11; Linux x86_64)",
			"page": map[string]any{"path": "/products/507f", "url": "https://shop.example.com/products/507f"}},
		Timestamp: ts, OriginalTimestamp: ts, SentAt: ts.Add(time.Second), ReceivedAt: ts.Add(time.Second),
	}
}

// benchEvents returns the events of a realistic stream numbered from
// first, with Seqs first+1, first+2, ...
func benchEvents(first, n int) []rapport.Event {
	events := make([]rapport.Event, n)
	for i := range events {
		events[i] = benchEvent(first + i)
		events[i].Seq = int64(first + i + 1)
	}
	return events
}

// BenchmarkApplyChanges measures ApplyChanges as the processor calls it:
// 1000 events per call (each stored in the events table) and the 1000
// profiles they changed, each with two identities. It reports profiles/s,
// events/s and the process CPU time per event.
func BenchmarkApplyChanges(b *testing.B, open func(b *testing.B) rapport.Store) {
	s := open(b)
	defer s.Close()
	ctx := context.Background()
	const size = 1000
	var cp int64
	n := 0
	var cpu time.Duration // spent in ApplyChanges only, not building changes
	for b.Loop() {
		b.StopTimer()
		c := rapport.Changes{Base: cp, Checkpoint: cp + size, Events: benchEvents(int(cp), size)}
		for range size {
			p := benchProfile(n % 20000)
			c.Profiles = append(c.Profiles, p)
			c.Identities = append(c.Identities,
				rapport.IdentityLink{Identity: rapport.Identity{Kind: rapport.IdentityUserID, Value: "user-" + p.ID}, ProfileID: p.ID},
				rapport.IdentityLink{Identity: rapport.Identity{Kind: rapport.IdentityAnonymousID, Value: "anon-" + p.ID}, ProfileID: p.ID})
			n++
		}
		b.StartTimer()
		start := bench.CPUTime()
		if err := s.ApplyChanges(ctx, c); err != nil {
			b.Fatalf("ApplyChanges: %v", err)
		}
		cpu += bench.CPUTime() - start
		cp += size
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "profiles/s")
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
	reportCPU(b, cpu, n, "cpu-µs/event")
}

// benchProfile returns a profile with typical traits and aggregates.
func benchProfile(n int) *rapport.Profile {
	ts := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(n) * time.Second)
	return &rapport.Profile{
		ID: fmt.Sprintf("prof_%08d", n), Kind: rapport.ProfilePerson,
		Traits:     map[string]any{"email": fmt.Sprintf("user%d@example.com", n), "plan": "pro", "name": "Ada Lovelace", "age": 36.0},
		TraitTimes: map[string]time.Time{"email": ts, "plan": ts, "name": ts, "age": ts},
		Aggregates: rapport.Aggregates{FirstSeen: ts, LastSeen: ts, Events: map[string]int64{"page": 12, "Product Viewed": 4},
			Channels: map[string]int64{"web": 16}, Sessions: 3, PageViews: 12, Orders: 1, Revenue: 18.99, AverageOrderValue: 18.99},
		CreatedAt: ts, UpdatedAt: ts,
	}
}

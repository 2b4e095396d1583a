package ingest_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/rapportdev/rapport/ingest"
)

// BenchmarkCommitter measures group commit on SQLite: 64 concurrent
// appenders, each sending batches of 100 events, as the HTTP handlers do.
// One b.N op is one batch.
func BenchmarkCommitter(b *testing.B) {
	const appenders, batch = 64, 100
	log := &countingLog{EventLog: openLog(b)}
	c := ingest.NewCommitter(log, ingest.Options{})
	defer c.Close()
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	for w := range appenders {
		wg.Go(func() {
			for next.Add(1) <= int64(b.N) {
				events := makeEvents(fmt.Sprintf("b%d-%d", w, next.Load()), batch)
				if err := c.Append(context.Background(), events); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(b.N*batch)/float64(log.calls.Load()), "events/commit")
}

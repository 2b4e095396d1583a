package bench

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// runBatch runs Concurrency closed-loop clients POSTing /v1/batch until
// the duration is up, the event budget is spent or ctx is done.
func runBatch(ctx context.Context, c *client, cfg Config) *Result {
	run := runID()
	start := time.Now()
	deadline := deadlineOf(start, cfg)
	var budget atomic.Int64
	budget.Store(int64(cfg.Events))
	var wg sync.WaitGroup
	for w := range cfg.Concurrency {
		g := newGenerator(cfg, run, w)
		wg.Go(func() {
			for ctx.Err() == nil && time.Now().Before(deadline) {
				n := take(&budget, cfg.BatchSize, cfg.Events > 0)
				if n == 0 {
					return
				}
				body := g.batch(n)
				c.post(ctx, c.batchURL, body, n, time.Now())
			}
		})
	}
	wg.Wait()
	return c.result(time.Since(start))
}

// deadlineOf is when a run started at start must stop sending; far away
// when only an event count bounds it.
func deadlineOf(start time.Time, cfg Config) time.Time {
	if cfg.Duration <= 0 {
		return start.Add(100 * 365 * 24 * time.Hour)
	}
	return start.Add(cfg.Duration)
}

// take reserves up to want events from the budget, when limited, and
// returns how many it got: 0 once the budget is spent.
func take(budget *atomic.Int64, want int, limited bool) int {
	if !limited {
		return want
	}
	for {
		left := budget.Load()
		if left <= 0 {
			return 0
		}
		n := min(int64(want), left)
		if budget.CompareAndSwap(left, left-n) {
			return int(n)
		}
	}
}

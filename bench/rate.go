package bench

import (
	"context"
	"encoding/json"
	"math"
	"sync"
	"time"
)

// runRate sends single /v1/track calls on a fixed schedule, open loop: a
// request goes when it is due whether or not earlier ones were answered,
// and its latency counts from when it was due, so a server that falls
// behind shows it in the latency rather than by quietly lowering the rate.
func runRate(ctx context.Context, c *client, cfg Config) *Result {
	g := newGenerator(cfg, runID(), 0)
	interval := time.Duration(float64(time.Second) / cfg.Rate)
	total := scheduled(cfg, interval)
	start := time.Now()
	var wg sync.WaitGroup
	for i := int64(0); i < total; i++ {
		due := start.Add(time.Duration(i) * interval)
		if !sleepUntil(ctx, due) {
			break
		}
		body, err := json.Marshal(g.nextTrack(due))
		if err != nil {
			panic(err) // messages hold only strings, numbers and maps of them
		}
		wg.Go(func() { c.post(ctx, c.trackURL, body, 1, due) })
	}
	wg.Wait()
	return c.result(time.Since(start))
}

// scheduled is the number of requests a run sends: Rate × Duration, at
// most Events.
func scheduled(cfg Config, interval time.Duration) int64 {
	total := int64(math.MaxInt64)
	if cfg.Duration > 0 {
		total = max(int64(cfg.Duration/interval), 1)
	}
	if cfg.Events > 0 {
		total = min(total, int64(cfg.Events))
	}
	return total
}

// sleepUntil waits until t, returning false if ctx ends first. A time in
// the past returns at once: a late scheduler catches up by sending.
func sleepUntil(ctx context.Context, t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err() == nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-timer.C:
		return true
	}
}

package decide

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/rapportdev/rapport"
)

// maxQueued bounds the decisions waiting to be written; past it a
// decision waits for the write (back pressure instead of unbounded
// memory).
const maxQueued = 10_000

// recorder writes decisions in groups: one transaction every
// DefaultFlushEvery for all the decisions made meanwhile, so answering a
// decision never waits for a commit (an fsync in SQLite) and a thousand
// decisions a second cost a hundred commits, not a thousand. A crash loses
// at most the last interval's records; outcomes of such a decision are
// still recorded while the process that made it lives (recentDecisions).
type recorder struct {
	store Store
	// writing serialises flushes, so decisions are written in order.
	writing sync.Mutex
	mu      sync.Mutex
	queued  []*rapport.Decision
}

// add queues d, or writes the queue now when it is full.
func (r *recorder) add(ctx context.Context, d *rapport.Decision) error {
	r.mu.Lock()
	r.queued = append(r.queued, d)
	full := len(r.queued) >= maxQueued
	r.mu.Unlock()
	if full {
		return r.flush(ctx)
	}
	return nil
}

// flush writes what is queued.
func (r *recorder) flush(ctx context.Context) error {
	r.writing.Lock()
	defer r.writing.Unlock()
	r.mu.Lock()
	batch := r.queued
	r.queued = nil
	r.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	if err := r.store.CreateDecisions(ctx, batch); err != nil {
		// Put them back in front, to be tried at the next flush.
		r.mu.Lock()
		r.queued = append(batch, r.queued...)
		r.mu.Unlock()
		return err
	}
	return nil
}

// run flushes every DefaultFlushEvery until ctx ends, then once more
// without it.
func (r *recorder) run(ctx context.Context, log *slog.Logger) {
	t := time.NewTicker(DefaultFlushEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			if err := r.flush(context.WithoutCancel(ctx)); err != nil {
				log.Error("offers: decisions not recorded at shutdown", "err", err)
			}
			return
		case <-t.C:
			if err := r.flush(ctx); err != nil && ctx.Err() == nil {
				log.Error("offers: record decisions", "err", err)
			}
		}
	}
}

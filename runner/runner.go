// Package runner runs one background job at a time for the keepers of
// scores and segments: starting a job stops the one running first (the
// new one covers everything the old one would have), Wait and Close let
// callers and shutdown wait for it, and Every starts one on a schedule
// unless one is running.
package runner

import (
	"context"
	"sync"
	"time"
)

// Runner runs at most one job. The zero value is ready to use; its
// methods are safe for concurrent use.
type Runner struct {
	// starting makes Start one at a time, so two never both start a job.
	starting sync.Mutex
	mu       sync.Mutex
	cancel   context.CancelFunc
	done     chan struct{}
}

// Start stops the running job, if any, waits for it, calls prepare (when
// not nil: it runs before Start returns, so a status it sets is seen by
// Start's caller), and runs job in a new goroutine with a context that
// Close or the next Start cancels.
func (r *Runner) Start(prepare func(), job func(ctx context.Context)) {
	r.starting.Lock()
	defer r.starting.Unlock()
	r.stop()
	if prepare != nil {
		prepare()
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	r.mu.Lock()
	r.cancel, r.done = cancel, done
	r.mu.Unlock()
	go func() {
		defer close(done)
		defer cancel()
		job(ctx)
	}()
}

// Running reports whether a job is running.
func (r *Runner) Running() bool {
	r.mu.Lock()
	done := r.done
	r.mu.Unlock()
	if done == nil {
		return false
	}
	select {
	case <-done:
		return false
	default:
		return true
	}
}

// Wait blocks until the running job, if any, ends.
func (r *Runner) Wait() {
	r.mu.Lock()
	done := r.done
	r.mu.Unlock()
	if done != nil {
		<-done
	}
}

// Close stops the running job, if any, and waits for it.
func (r *Runner) Close() { r.stop() }

func (r *Runner) stop() {
	r.mu.Lock()
	cancel, done := r.cancel, r.done
	r.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// Every calls start each interval until ctx ends, except while a job is
// running: a schedule never interrupts a job.
func (r *Runner) Every(ctx context.Context, interval time.Duration, start func()) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if !r.Running() {
				start()
			}
		}
	}
}

package processor

import (
	"context"
	"time"
)

// Backoff bounds for Run's retries after a failed batch.
const (
	minBackoff = 100 * time.Millisecond
	maxBackoff = 30 * time.Second
)

// Run applies the log until ctx is done, then returns nil. It sleeps
// PollInterval (or until Notify) when the log is drained. A failed batch is
// logged and retried from the same checkpoint with growing backoff, so no
// event is lost or skipped for a failing store; only an event whose own
// content makes applying fail (an EINVALID error or a panic) is logged,
// counted in Skipped and passed over.
func (p *Processor) Run(ctx context.Context) error {
	backoff := minBackoff
	for {
		_, read, err := p.step(ctx)
		if ctx.Err() != nil {
			return nil
		}
		wait, linger := time.Duration(0), false
		switch {
		case err != nil:
			p.log.Error("processor: apply batch", "after", p.Applied(), "err", err, "retry_in", backoff)
			wait, backoff = backoff, min(2*backoff, maxBackoff)
		case read == 0:
			wait, linger, backoff = p.opts.PollInterval, true, minBackoff
		case read < p.opts.BatchSize:
			linger, backoff = true, minBackoff
		default:
			backoff = minBackoff
		}
		if wait > 0 && !p.sleep(ctx, wait) {
			return nil
		}
		if linger && !p.linger(ctx) {
			return nil
		}
	}
}

// linger lets events gather for Linger once the processor has caught up,
// so a trickle of single events costs a few store commits a second rather
// than one commit (and one fsync, competing with ingest's) per event.
func (p *Processor) linger(ctx context.Context) bool {
	if p.opts.Linger <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(p.opts.Linger)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// sleep waits for d, a Notify or the end of ctx, and reports whether to go on.
func (p *Processor) sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-p.wake:
	case <-t.C:
	}
	return true
}

// CatchUp applies everything in the log now and returns how many events
// this processor moved the checkpoint over, duplicates and skipped events
// included (events another processor applied first are not counted). It
// returns the first error, with what was applied before it safely stored.
func (p *Processor) CatchUp(ctx context.Context) (applied int, err error) {
	for {
		n, read, err := p.step(ctx)
		applied += n
		if err != nil || read == 0 {
			return applied, err
		}
	}
}

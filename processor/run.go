package processor

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/profile"
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
		wait := time.Duration(0)
		switch {
		case err != nil:
			p.log.Error("processor: apply batch", "after", p.Applied(), "err", err, "retry_in", backoff)
			wait, backoff = backoff, min(2*backoff, maxBackoff)
		case read == 0:
			wait, backoff = p.opts.PollInterval, minBackoff
		default:
			backoff = minBackoff
		}
		if wait > 0 && !p.sleep(ctx, wait) {
			return nil
		}
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
// this processor moved the checkpoint over, skipped ones included (events
// another processor applied first are not counted). It returns the first error, with what was applied before it
// safely stored.
func (p *Processor) CatchUp(ctx context.Context) (applied int, err error) {
	for {
		n, read, err := p.step(ctx)
		applied += n
		if err != nil || read == 0 {
			return applied, err
		}
	}
}

// step applies one batch: it returns how many events it applied and how
// many it read. Read is zero when the log is drained. A conflict with
// another processor is not an error: the cache is dropped, the checkpoint
// re-read, and the caller goes on.
func (p *Processor) step(ctx context.Context) (applied, read int, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.start(ctx); err != nil {
		return 0, 0, err
	}
	base := p.applied.Load()
	events, err := p.store.ReadEvents(ctx, base, p.opts.BatchSize)
	if err != nil || len(events) == 0 {
		return 0, 0, wrap(err, "read events after %d", base)
	}
	b, err := p.build(ctx, base, events)
	if err != nil {
		return 0, len(events), err
	}
	changes := b.Changes()
	err = p.store.ApplyChanges(ctx, changes)
	if rapport.ErrorCode(err) == rapport.ECONFLICT {
		return 0, len(events), p.restart(ctx, base)
	} else if err != nil {
		return 0, len(events), fmt.Errorf("apply changes %d..%d: %w", base, changes.Checkpoint, err)
	}
	p.cache.update(changes, b.Sessions())
	p.applied.Store(changes.Checkpoint)
	if p.opts.OnApplied != nil {
		p.opts.OnApplied(changes)
	}
	for seq := range p.poison {
		if seq <= changes.Checkpoint {
			delete(p.poison, seq)
		}
	}
	return len(events), len(events), nil
}

// start reads the checkpoint the first time.
func (p *Processor) start(ctx context.Context) error {
	if p.started {
		return nil
	}
	cp, err := p.store.Checkpoint(ctx)
	if err != nil {
		return fmt.Errorf("read checkpoint: %w", err)
	}
	p.applied.Store(cp)
	p.started = true
	return nil
}

// restart follows another processor that applied events first: what this
// one holds in memory may be stale, so it is dropped.
func (p *Processor) restart(ctx context.Context, base int64) error {
	p.cache.reset()
	p.started = false
	if err := p.start(ctx); err != nil {
		return err
	}
	p.log.Info("processor: checkpoint moved by another processor", "from", base, "to", p.Applied())
	return nil
}

// build applies events to a new batch. When an event turns out to be
// poison it is marked, and the batch is built again without it: a failed
// Apply leaves a batch half-changed.
func (p *Processor) build(ctx context.Context, base int64, events []rapport.Event) (*profile.Batch, error) {
	for {
		b := p.applier.NewBatch(view{c: p.cache, store: p.store}, base)
		bad, err := p.applyAll(ctx, b, events)
		if err != nil {
			return nil, err
		}
		if bad == nil {
			return b, nil
		}
		p.poison[bad.Seq] = true
		p.skipped.Add(1)
		p.log.Warn("processor: skipping event", "seq", bad.Seq, "messageId", bad.MessageID)
	}
}

// applyAll applies events in order, skipping those marked poison. It
// returns the first event that proved poison, or a failure of the store.
func (p *Processor) applyAll(ctx context.Context, b *profile.Batch, events []rapport.Event) (*rapport.Event, error) {
	for i := range events {
		ev := &events[i]
		if p.poison[ev.Seq] {
			b.Skip(ev)
			continue
		}
		err := apply(ctx, b, ev)
		switch {
		case errors.Is(err, errPoison):
			p.log.Error("processor: event cannot be applied", "seq", ev.Seq, "err", err)
			return ev, nil
		case err != nil:
			return nil, fmt.Errorf("apply event %d: %w", ev.Seq, err)
		}
	}
	return nil, nil
}

// errPoison marks an error caused by the event itself.
var errPoison = errors.New("poison event")

// apply applies one event, turning an invalid-event error or a panic into
// errPoison. Apply is written never to panic on outside input; the recover
// keeps one unforeseen bug from blocking the log forever.
func apply(ctx context.Context, b *profile.Batch, ev *rapport.Event) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: panic: %v", errPoison, r)
		}
	}()
	err = b.Apply(ctx, ev)
	if rapport.ErrorCode(err) == rapport.EINVALID {
		return fmt.Errorf("%w: %w", errPoison, err)
	}
	return err
}

// wrap adds context to a non-nil error.
func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}

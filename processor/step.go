package processor

import (
	"context"
	"fmt"

	"github.com/rapportdev/rapport"
)

// step applies one batch: it returns how many events it moved the
// checkpoint over and how many it read. Read is zero when the log is
// drained. A conflict with another processor is not an error: the cache is
// dropped, the checkpoint re-read, and the caller goes on.
func (p *Processor) step(ctx context.Context) (applied, read int, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.start(ctx); err != nil {
		return 0, 0, err
	}
	base := p.applied.Load()
	events, err := p.read(ctx, base)
	if err != nil {
		return 0, 0, err
	}
	if len(events) == 0 {
		// Drained: a good moment to trim what the last batches applied.
		p.maybeTrim(ctx)
		return 0, 0, nil
	}
	ok, err := p.applyBatch(ctx, base, events)
	if err != nil || !ok {
		return 0, len(events), err
	}
	p.maybeTrim(ctx)
	return len(events), len(events), nil
}

// read returns the events after the checkpoint. A full read means the
// processor is behind the log: the next one is twice as large, up to
// MaxBatchSize, since a profile touched by many events of a batch is
// written once, and writing profiles is most of a batch's cost.
func (p *Processor) read(ctx context.Context, after int64) ([]rapport.Event, error) {
	events, err := p.events.Read(ctx, after, p.limit)
	if err != nil {
		return nil, fmt.Errorf("read log after %d: %w", after, err)
	}
	if len(events) >= p.limit {
		p.limit = min(2*p.limit, p.opts.MaxBatchSize)
	} else {
		p.limit = p.opts.BatchSize
	}
	return events, nil
}

// applyBatch applies events read after base and stores the changes. It
// reports false, with no error, when another processor moved the
// checkpoint first.
func (p *Processor) applyBatch(ctx context.Context, base int64, events []rapport.Event) (bool, error) {
	dups, err := p.duplicatesOf(ctx, events)
	if err != nil {
		return false, err
	}
	b, err := p.build(ctx, base, events, dups)
	if err != nil {
		return false, err
	}
	changes, err := p.changes(ctx, b)
	if err != nil {
		return false, err
	}
	if p.opts.Partition != nil {
		err = p.applyPartition(ctx, changes, b.route, b.read)
	} else {
		err = p.store.ApplyChanges(ctx, changes)
	}
	if rapport.ErrorCode(err) == rapport.ECONFLICT {
		return false, p.restart(ctx, base)
	} else if err != nil {
		return false, fmt.Errorf("apply changes %d..%d: %w", base, changes.Checkpoint, err)
	}
	p.cache.update(changes)
	p.applied.Store(changes.Checkpoint)
	p.duplicates.Add(int64(len(dups)))
	if p.opts.OnApplied != nil {
		p.opts.OnApplied(changes)
	}
	for seq := range p.poison {
		if seq <= changes.Checkpoint {
			delete(p.poison, seq)
		}
	}
	if p.opts.Partition != nil {
		if err := p.afterPartition(ctx, changes, b.route); err != nil {
			// The forwards are stored: the next start publishes them.
			p.started = false
			return true, err
		}
	}
	return true, nil
}

// start reads the checkpoint the first time.
func (p *Processor) start(ctx context.Context) error {
	if p.started {
		return nil
	}
	var cp int64
	var err error
	if p.opts.Partition != nil {
		cp, err = p.startPartition(ctx)
	} else {
		cp, err = p.store.Checkpoint(ctx)
	}
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
	if p.opts.Partition != nil {
		p.log.Info("processor: batch conflicted with another partition's writes; building it again",
			"partition", p.opts.Partition.ID, "from", base)
		return nil
	}
	p.log.Info("processor: checkpoint moved by another processor", "from", base, "to", p.Applied())
	return nil
}

package processor

import (
	"context"
	"time"
)

// maybeTrim removes applied events from the log, at most every
// TrimInterval, keeping Retain of them. It trims up to the store's
// checkpoint read back (the partition's, for a partition's processor), not
// this processor's: one that lost a race to another has not applied what
// it read, and the store is what holds the events. A failed trim is
// logged, not returned: the log only grows until the next one.
func (p *Processor) maybeTrim(ctx context.Context) {
	if p.opts.TrimInterval < 0 || time.Since(p.lastTrim) < p.opts.TrimInterval {
		return
	}
	if p.applied.Load()-p.opts.Retain <= p.trimmed {
		return
	}
	p.lastTrim = time.Now()
	cp, err := p.storedCheckpoint(ctx)
	if err != nil {
		p.log.Warn("processor: trim log: read checkpoint", "err", err)
		return
	}
	upTo := cp - p.opts.Retain
	if upTo <= p.trimmed {
		return
	}
	if err := p.events.Trim(ctx, upTo); err != nil {
		if ctx.Err() == nil {
			p.log.Warn("processor: trim log", "up_to", upTo, "err", err)
		}
		return
	}
	p.trimmed = upTo
}

// storedCheckpoint is the checkpoint the store holds for what this
// processor applies: the log's, or its partition's.
func (p *Processor) storedCheckpoint(ctx context.Context) (int64, error) {
	if part := p.opts.Partition; part != nil {
		return part.Store.PartitionCheckpoint(ctx, part.ID)
	}
	return p.store.Checkpoint(ctx)
}

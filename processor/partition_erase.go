package processor

import (
	"context"
	"fmt"
)

// EraseAt runs erase between two batches of a partition's processor, at a
// control message of seq that the partition's log holds after the events
// up to after (docs/scaling.md, "Erasure"). erase must write in one
// transaction, fenced by the partition's lease as batches are, that moves
// the partition's checkpoint from after to seq.
//
// It does nothing and reports false when the processor is not at after:
// it has not applied the events before the message yet, or it has moved
// past the message (an earlier call, or another holder, did it). Else it
// calls erase and drops everything the processor holds in memory, whether
// erase succeeded or not (the store may have changed), so that the next
// batch reads the store afresh, checkpoint included.
func (p *Processor) EraseAt(ctx context.Context, after, seq int64, erase func(ctx context.Context) error) (bool, error) {
	if p.opts.Partition == nil {
		return false, fmt.Errorf("erase at %d: the processor does not apply a partition", seq)
	}
	if seq <= after {
		return false, fmt.Errorf("erase at %d: not after %d", seq, after)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.start(ctx); err != nil {
		return false, err
	}
	if p.applied.Load() != after {
		return false, nil
	}
	err := erase(ctx)
	p.cache.reset()
	// The checkpoint is read again before the next batch: seq when erase
	// committed, after when it did not.
	p.started = false
	if err != nil {
		return true, fmt.Errorf("erase at %d: %w", seq, err)
	}
	p.applied.Store(seq)
	return true, nil
}

package processor

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/profile"
)

// built is a batch applied and scored.
type built struct {
	*profile.Batch
	scores *scoreBatch
	// route and read are a partitioned log's: see Partition.
	route *routing
	read  map[rapport.Identity]string
}

// changes returns the batch's changes with its scores, notifications and
// membership changes.
func (p *Processor) changes(ctx context.Context, b *built) (rapport.Changes, error) {
	c := b.Batch.Changes()
	if err := b.scores.addTo(&c); err != nil {
		return c, err
	}
	return c, p.segmentChanges(ctx, &c)
}

// build applies events to a new batch, passing over the duplicates. When
// an event turns out to be poison it is marked, and the batch is built
// again without it: a failed Apply leaves a batch half-changed.
func (p *Processor) build(ctx context.Context, base int64, events []rapport.Event, dups map[int64]bool) (*built, error) {
	v := view{c: p.cache, store: p.store, absent: map[rapport.Identity]bool{}}
	if p.opts.Partition != nil {
		v.read = map[rapport.Identity]string{}
		// A pass on another worker may have rewritten scores and
		// memberships, and only this process's passes call Forget: read
		// them again each batch (one query each).
		clear(p.cache.scores)
		clear(p.cache.members)
	}
	// A batch lookup the store refuses for one event's sake falls back to
	// lookups one by one, which find that event and skip it.
	if err := v.prefetch(ctx, events); rapport.ErrorCode(err) == rapport.EINVALID {
		clear(v.absent)
	} else if err != nil {
		return nil, err
	}
	p.cache.expireProducts(p.now())
	if err := v.prefetchProducts(ctx, events); err != nil {
		return nil, err
	}
	if p.opts.Scorer != nil {
		if err := v.prefetchScores(ctx, events); err != nil {
			return nil, err
		}
	}
	for {
		b := p.applier.NewBatch(v, base)
		sb := p.newScoreBatch(v)
		r := p.newRouting()
		if r != nil {
			if err := p.prefetchPartitions(ctx, r, events); err != nil {
				return nil, err
			}
		}
		bad, err := p.applyAll(ctx, b, sb, r, events, dups)
		if err != nil {
			return nil, err
		}
		if bad == nil {
			return &built{Batch: b, scores: sb, route: r, read: v.read}, nil
		}
		p.poison[bad.Seq] = true
		p.skipped.Add(1)
		p.log.Warn("processor: skipping event", "seq", bad.Seq, "messageId", bad.MessageID)
	}
}

// applyAll applies events in order, skipping duplicates and those marked
// poison. It returns the first event that proved poison, or a failure of
// the store.
func (p *Processor) applyAll(ctx context.Context, b *profile.Batch, sb *scoreBatch, r *routing, events []rapport.Event, dups map[int64]bool) (*rapport.Event, error) {
	for i := range events {
		ev := &events[i]
		if dups[ev.Seq] || p.poison[ev.Seq] {
			b.Skip(ev)
			continue
		}
		if r != nil {
			if forwarded, err := p.route(ctx, r, b, ev); err != nil {
				return nil, err
			} else if forwarded {
				b.Skip(ev)
				continue
			}
		}
		err := apply(ctx, b, sb, ev)
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

// apply applies and scores one event, turning an invalid-event error or a
// panic into errPoison. Apply and Score are written never to panic on
// outside input; the recover keeps one unforeseen bug from blocking the
// log forever.
func apply(ctx context.Context, b *profile.Batch, sb *scoreBatch, ev *rapport.Event) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: panic: %v", errPoison, r)
		}
	}()
	err = b.Apply(ctx, ev)
	if rapport.ErrorCode(err) == rapport.EINVALID {
		return fmt.Errorf("%w: %w", errPoison, err)
	} else if err != nil {
		return err
	}
	return sb.score(ctx, b, ev)
}

// now is the processing time, on the clock the options give.
func (p *Processor) now() time.Time {
	if p.opts.Clock == nil {
		return time.Now()
	}
	return p.opts.Clock.Now()
}

package processor

import (
	"context"
	"fmt"
	"slices"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/profile"
)

// Partition makes a processor apply one partition of a partitioned log,
// as the lease holder of an epoch (docs/scaling.md). Every profile belongs
// to one partition, and only that partition's processor writes it: an
// event whose profiles belong elsewhere is forwarded, and an event that
// joins profiles of several partitions is applied on one of them, the
// target, after the others have handed their profiles to it.
type Partition struct {
	// ID is the partition applied.
	ID int
	// Owner and Epoch are the lease the writes are fenced by.
	Owner string
	Epoch int64
	// Store holds the partition's checkpoint, the profiles' partitions
	// and the forwards not yet published.
	Store rapport.PartitionStore
	// Publish appends forwarded events to their target partitions, with a
	// message id derived from (ID, Forward.Seq) so that a second publish of
	// the same forward is dropped.
	Publish func(ctx context.Context, fwds []rapport.Forward) error
}

// routing is one batch's view of which partition owns which profile, and
// what the batch forwards and hands off.
type routing struct {
	me int
	// parts holds partitions read from the store for this batch.
	parts map[string]int
	// handed holds the profiles this batch hands off, and where to.
	handed   map[string]int
	handoffs []rapport.Handoff
	forwards []rapport.Forward
	// foreign lists identities found held by other partitions' profiles,
	// which the cache must not keep: only their owner keeps them current.
	foreign []rapport.Identity
}

func (p *Processor) newRouting() *routing {
	if p.opts.Partition == nil {
		return nil
	}
	return &routing{me: p.opts.Partition.ID, parts: map[string]int{}, handed: map[string]int{}}
}

// prefetchPartitions reads, in one query, the partitions of the profiles
// the batch's identities were found held by, other than those known to be
// this partition's.
func (p *Processor) prefetchPartitions(ctx context.Context, r *routing, events []rapport.Event) error {
	var ask []string
	seen := map[string]bool{}
	for i := range events {
		for _, id := range profile.Lookups(&events[i]) {
			pid, ok := p.cache.owner[id]
			if ok && !p.cache.mine[pid] && !seen[pid] {
				seen[pid] = true
				ask = append(ask, pid)
			}
		}
	}
	if len(ask) == 0 {
		return nil
	}
	parts, err := p.opts.Partition.Store.FindProfilePartitions(ctx, ask)
	if err != nil {
		return err
	}
	for _, pid := range ask {
		if part, ok := parts[pid]; ok {
			r.parts[pid] = part
		} else {
			// No partition recorded: a profile from before partitioning,
			// which this partition claims when it writes it.
			r.parts[pid] = r.me
		}
	}
	return nil
}

// partitionOf returns the partition that owns a profile, as far as the
// batch knows.
func (p *Processor) partitionOf(ctx context.Context, r *routing, b *profile.Batch, pid string) (int, error) {
	if to, ok := r.handed[pid]; ok {
		return to, nil
	}
	if b.Created(pid) || p.cache.mine[pid] {
		return r.me, nil
	}
	if part, ok := r.parts[pid]; ok {
		return part, nil
	}
	parts, err := p.opts.Partition.Store.FindProfilePartitions(ctx, []string{pid})
	if err != nil {
		return 0, fmt.Errorf("find partition of profile %s: %w", pid, err)
	}
	part, ok := parts[pid]
	if !ok {
		part = r.me
	}
	r.parts[pid] = part
	return part, nil
}

// route decides whether the event applies here. When it does not, it
// records the forward (and the handoffs of this partition's profiles the
// event touches) and returns true. The rule (docs/scaling.md): the target
// is the partition of the profile holding the event's userId, else the
// lowest partition among the profiles it touches. A partition other than
// the target hands its touched profiles to the target and forwards the
// event there; the target, while a touched profile is still elsewhere,
// forwards the event to the lowest such partition, which hands off and
// forwards it back. Every hop moves profiles towards the target, so the
// event arrives where all its profiles are.
func (p *Processor) route(ctx context.Context, r *routing, b *profile.Batch, ev *rapport.Event) (bool, error) {
	uid, hasUser := rapport.NewIdentity(rapport.IdentityUserID, ev.UserID)
	touched := map[string]int{}
	target, lowest, foreign := -1, -1, -1
	for _, id := range profile.Lookups(ev) {
		pid, ok, err := b.Owner(ctx, id)
		if err != nil {
			return false, fmt.Errorf("route event %d: %w", ev.Seq, err)
		} else if !ok {
			continue
		}
		part, err := p.partitionOf(ctx, r, b, pid)
		if err != nil {
			return false, err
		}
		touched[pid] = part
		if hasUser && id == uid {
			target = part
		}
		if lowest < 0 || part < lowest {
			lowest = part
		}
		if part != r.me {
			r.foreign = append(r.foreign, id)
			if foreign < 0 || part < foreign {
				foreign = part
			}
		}
	}
	if foreign < 0 {
		return false, nil
	}
	if target < 0 {
		target = lowest
	}
	if target == r.me {
		r.forward(ev, foreign)
		return true, nil
	}
	pids := make([]string, 0, len(touched))
	for pid, part := range touched {
		if part == r.me {
			pids = append(pids, pid)
		}
	}
	slices.Sort(pids)
	for _, pid := range pids {
		r.handed[pid] = target
		r.handoffs = append(r.handoffs, rapport.Handoff{ProfileID: pid, To: target})
	}
	r.forward(ev, target)
	return true, nil
}

func (r *routing) forward(ev *rapport.Event, to int) {
	r.forwards = append(r.forwards, rapport.Forward{Seq: ev.Seq, To: to, Event: *ev})
}

// applyPartition writes a partition's batch, fenced by its lease.
func (p *Processor) applyPartition(ctx context.Context, c rapport.Changes, r *routing, read map[rapport.Identity]string) error {
	part := p.opts.Partition
	pc := rapport.PartitionChanges{Changes: c, Partition: part.ID, Owner: part.Owner, Epoch: part.Epoch,
		Prev: map[rapport.Identity]string{}, Handoffs: r.handoffs, Forwards: r.forwards}
	for _, l := range c.Identities {
		if prev, ok := read[l.Identity]; ok {
			pc.Prev[l.Identity] = prev
		}
	}
	return part.Store.ApplyPartitionChanges(ctx, pc)
}

// afterPartition updates the cache after a partition's batch committed:
// the profiles written are this partition's, those handed off are not, and
// identities of other partitions' profiles are not kept. Then it
// publishes the batch's forwards.
func (p *Processor) afterPartition(ctx context.Context, c rapport.Changes, r *routing) error {
	for _, pr := range c.Profiles {
		p.cache.mine[pr.ID] = true
	}
	for _, m := range c.Merges {
		delete(p.cache.mine, m.From)
	}
	for _, id := range r.foreign {
		if pid, ok := p.cache.owner[id]; ok && !p.cache.mine[pid] {
			delete(p.cache.owner, id)
		}
	}
	// What the batch read of other partitions' profiles (their scores,
	// say, prefetched with the batch) may change there at any time.
	for pid, part := range r.parts {
		if part != r.me {
			p.cache.forgetProfile(pid)
		}
	}
	if len(r.handed) > 0 {
		p.cache.forget(r.handed)
	}
	if len(r.forwards) == 0 {
		return nil
	}
	return p.publishForwards(ctx, r.forwards)
}

// publishForwards publishes forwards stored with a committed checkpoint,
// then deletes them from the store.
func (p *Processor) publishForwards(ctx context.Context, fwds []rapport.Forward) error {
	part := p.opts.Partition
	if err := part.Publish(ctx, fwds); err != nil {
		return fmt.Errorf("publish %d forwards of partition %d: %w", len(fwds), part.ID, err)
	}
	return part.Store.DeleteForwards(ctx, part.ID, fwds[len(fwds)-1].Seq)
}

// startPartition reads the partition's checkpoint and publishes the
// forwards a previous holder stored but may not have published.
func (p *Processor) startPartition(ctx context.Context) (int64, error) {
	part := p.opts.Partition
	cp, err := part.Store.PartitionCheckpoint(ctx, part.ID)
	if err != nil {
		return 0, err
	}
	fwds, err := part.Store.FindForwards(ctx, part.ID)
	if err != nil || len(fwds) == 0 {
		return cp, err
	}
	return cp, p.publishForwards(ctx, fwds)
}

// forgetProfile drops what the cache holds of a profile, but for the
// identities pointing at it.
func (c *cache) forgetProfile(id string) {
	delete(c.mine, id)
	delete(c.profiles, id)
	delete(c.scores, id)
	delete(c.members, id)
	delete(c.orders, id)
}

// forget drops what the cache holds of profiles handed to other
// partitions, and the identities that point at them.
func (c *cache) forget(ids map[string]int) {
	for id := range ids {
		c.forgetProfile(id)
	}
	for ident, pid := range c.owner {
		if _, ok := ids[pid]; ok {
			delete(c.owner, ident)
		}
	}
}

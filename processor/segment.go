package processor

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/rapportdev/rapport"
)

// Segmenter keeps rule segments current as events apply; the adapter in
// package membership implements it with the segment package. The
// processor calls it from one goroutine, once per profile a batch
// touched, with the profile and score as the batch leaves them.
type Segmenter interface {
	// Memberships returns the ids, sorted, of the segments p belongs to,
	// given its latest score (nil when none), at now.
	Memberships(p *rapport.Profile, score *rapport.ScoreRecord, now time.Time) []string
	// Manages reports whether the Segmenter decides membership of the
	// segment: memberships of others (discovered buckets) are left as
	// they are.
	Manages(segmentID string) bool
}

// segmentChanges adds to c the membership changes of every profile the
// batch wrote: the segments each belongs to now against those the store
// (or the cache) says it belonged to.
func (p *Processor) segmentChanges(ctx context.Context, c *rapport.Changes) error {
	seg := p.opts.Segmenter
	if seg == nil || len(c.Profiles) == 0 {
		return nil
	}
	if err := p.prefetchMemberships(ctx, c.Profiles); err != nil {
		return err
	}
	scores := make(map[string]*rapport.ScoreRecord, len(c.Scores))
	for i := range c.Scores {
		scores[c.Scores[i].ProfileID] = &c.Scores[i]
	}
	now := p.opts.Clock.Now()
	for _, pr := range c.Profiles {
		score, ok := scores[pr.ID]
		if !ok {
			score = p.cache.scores[pr.ID]
		}
		after := seg.Memberships(pr, score, now)
		var before []string
		for _, id := range p.cache.members[pr.ID] {
			if seg.Manages(id) {
				before = append(before, id)
			}
		}
		for _, id := range after {
			if _, found := slices.BinarySearch(before, id); !found {
				c.Memberships = append(c.Memberships, rapport.MembershipChange{SegmentID: id, ProfileID: pr.ID, Entered: true, At: now})
			}
		}
		for _, id := range before {
			if _, found := slices.BinarySearch(after, id); !found {
				c.Memberships = append(c.Memberships, rapport.MembershipChange{SegmentID: id, ProfileID: pr.ID, At: now})
			}
		}
	}
	return nil
}

// prefetchMemberships reads, in one query, the memberships of the
// profiles the cache does not know.
func (p *Processor) prefetchMemberships(ctx context.Context, profiles []*rapport.Profile) error {
	var ask []string
	for _, pr := range profiles {
		if _, ok := p.cache.members[pr.ID]; !ok {
			ask = append(ask, pr.ID)
		}
	}
	if len(ask) == 0 {
		return nil
	}
	found, err := p.store.FindMemberships(ctx, ask)
	if err != nil {
		return fmt.Errorf("find memberships of %d profiles: %w", len(ask), err)
	}
	for _, id := range ask {
		p.cache.members[id] = found[id] // nil: in none
	}
	return nil
}

// ForgetMemberships drops the memberships the processor holds, between
// two batches: a recompute pass changed them in the store.
func (p *Processor) ForgetMemberships() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cache.members = map[string][]string{}
}

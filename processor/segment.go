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
	// Memberships returns the ids, sorted, of the managed segments p
	// belongs to, given its latest score (nil when none) and the segments
	// it is in before this batch (all kinds, which rules may read), at now.
	Memberships(p *rapport.Profile, score *rapport.ScoreRecord, current []string, now time.Time) []string
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
		current := p.cache.members[pr.ID]
		after := seg.Memberships(pr, score, current, now)
		var before []string
		for _, id := range current {
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

// Forget drops what the processor holds of the given profiles' scores and
// memberships, between two batches: a background pass has just written
// them, and the next event must start from the store's, or it would
// compare against what the pass replaced (missing an exit, or firing a
// rule the pass already fired).
func (p *Processor) Forget(profileIDs []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, id := range profileIDs {
		delete(p.cache.members, id)
		delete(p.cache.scores, id)
	}
}

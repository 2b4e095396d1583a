package processor

import (
	"context"
	"fmt"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/profile"
)

// Scorer keeps profiles' scores current as events apply to them; the
// adapter in cmd/rapport implements it with the scoring package. The
// processor calls it from one goroutine, one batch at a time.
//
// Its working state is opaque to the processor: Load decodes a stored
// score once per profile and batch, Score advances it in memory per
// event, and Record encodes it once per profile and batch, so the per-event
// cost is the scoring alone.
type Scorer interface {
	// Load returns the working state of a profile from its stored score,
	// or the state of a profile never scored when rec is nil. It must not
	// keep or modify rec.
	Load(rec *rapport.ScoreRecord) (any, error)
	// Score applies ev to state (which it may change in place), p being
	// the profile right after ev; it must not keep or modify p. It returns
	// the notifications of the rules that became true.
	Score(p *rapport.Profile, state any, ev *rapport.Event) ([]rapport.Notification, error)
	// Record returns the score to store for the profile in state.
	Record(profileID string, state any) (rapport.ScoreRecord, error)
	// Merge returns the working state of a profile made of two, into
	// surviving, from folded into it. It must not modify its arguments.
	Merge(into, from any) (any, error)
}

// scoreBatch is the scoring of one batch: the working state of each
// profile an event went to, and the notifications fired.
type scoreBatch struct {
	scorer Scorer
	view   view
	states map[string]any
	notes  []rapport.Notification
	// merged counts the batch's merges already folded into states.
	merged int
}

// newScoreBatch returns the scoring of a batch, or nil without a Scorer.
func (p *Processor) newScoreBatch(v view) *scoreBatch {
	if p.opts.Scorer == nil {
		return nil
	}
	return &scoreBatch{scorer: p.opts.Scorer, view: v, states: map[string]any{}}
}

// score scores the event just applied to b, if it went to a profile.
func (s *scoreBatch) score(ctx context.Context, b *profile.Batch, ev *rapport.Event) error {
	if s == nil || b.Last() == nil {
		return nil
	}
	if err := s.mergeStates(ctx, b); err != nil {
		return err
	}
	pr := b.Last()
	st, err := s.state(ctx, b, pr.ID)
	if err != nil {
		return err
	}
	notes, err := s.scorer.Score(pr, st, ev)
	if err != nil {
		return fmt.Errorf("score profile %s: %w", pr.ID, err)
	}
	s.notes = append(s.notes, notes...)
	return nil
}

// mergeStates folds, for every merge the batch made since the last
// event, the merged-away profile's scoring state into the survivor's, so
// engagement earned under either identity is kept.
func (s *scoreBatch) mergeStates(ctx context.Context, b *profile.Batch) error {
	merges := b.Merges()
	for ; s.merged < len(merges); s.merged++ {
		m := merges[s.merged]
		from, err := s.state(ctx, b, m.From)
		if err != nil {
			return err
		}
		into, err := s.state(ctx, b, m.Into)
		if err != nil {
			return err
		}
		st, err := s.scorer.Merge(into, from)
		if err != nil {
			return fmt.Errorf("merge scoring state of %s into %s: %w", m.From, m.Into, err)
		}
		s.states[m.Into] = st
		delete(s.states, m.From)
	}
	return nil
}

// state returns the batch's working state of a profile, loading it the
// first time.
func (s *scoreBatch) state(ctx context.Context, b *profile.Batch, id string) (any, error) {
	if st, ok := s.states[id]; ok {
		return st, nil
	}
	st, err := s.load(ctx, b, id)
	if err != nil {
		return nil, err
	}
	s.states[id] = st
	return st, nil
}

// load returns the profile's latest state: none for a profile this batch
// created, else the cached score, else the store's.
func (s *scoreBatch) load(ctx context.Context, b *profile.Batch, id string) (any, error) {
	if b.Created(id) {
		return s.scorer.Load(nil)
	}
	rec, ok := s.view.c.scores[id]
	if !ok {
		var err error
		rec, err = s.view.store.FindScore(ctx, id)
		if rapport.ErrorCode(err) == rapport.ENOTFOUND {
			rec = nil
		} else if err != nil {
			return nil, fmt.Errorf("find score of %s: %w", id, err)
		}
		s.view.c.scores[id] = rec
	}
	st, err := s.scorer.Load(rec)
	if err != nil {
		return nil, fmt.Errorf("load score of %s: %w", id, err)
	}
	return st, nil
}

// addTo adds the final score of every surviving profile scored in the
// batch, in the order of c.Profiles, and the notifications fired. A
// profile merged away is not in c.Profiles: its state was folded into the
// survivor's (mergeStates).
func (s *scoreBatch) addTo(c *rapport.Changes) error {
	if s == nil {
		return nil
	}
	for _, p := range c.Profiles {
		st, ok := s.states[p.ID]
		if !ok {
			continue
		}
		rec, err := s.scorer.Record(p.ID, st)
		if err != nil {
			return fmt.Errorf("record score of %s: %w", p.ID, err)
		}
		rec.ProfileID = p.ID
		c.Scores = append(c.Scores, rec)
	}
	c.Notifications = append(c.Notifications, s.notes...)
	return nil
}

// prefetchScores reads, in one query, the stored scores of the profiles
// the events' identities point at that the cache does not know.
func (v view) prefetchScores(ctx context.Context, events []rapport.Event) error {
	var ask []string
	seen := map[string]bool{}
	for i := range events {
		for _, id := range profile.Lookups(&events[i]) {
			pid, ok := v.c.owner[id]
			if _, known := v.c.scores[pid]; ok && !known && !seen[pid] {
				seen[pid] = true
				ask = append(ask, pid)
			}
		}
	}
	if len(ask) == 0 {
		return nil
	}
	found, err := v.store.FindScores(ctx, ask)
	if err != nil {
		return fmt.Errorf("find scores of %d profiles: %w", len(ask), err)
	}
	for _, pid := range ask {
		v.c.scores[pid] = found[pid] // nil: known to have none
	}
	return nil
}

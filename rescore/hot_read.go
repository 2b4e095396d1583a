package rescore

import (
	"context"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/scoring"
)

// ScoreReader reads stored scores: the store, or Scores in front of it.
type ScoreReader interface {
	// FindScore returns the profile's score, or ENOTFOUND when it has none.
	FindScore(ctx context.Context, profileID string) (*rapport.ScoreRecord, error)
	// FindLeads returns a page of the scores matching filter, ordered by
	// priority (highest first) then profile id, and how many match in all.
	FindLeads(ctx context.Context, filter rapport.LeadFilter) ([]rapport.ScoreRecord, int, error)
}

// Scores serves the score endpoint and the lead lists from Hot once a
// pass has scored it with the model in use, and from the store before
// (while Hot fills, and between a model change and the end of its pass in
// memory, when the store still holds the previous model's scores, which
// are the truth until then). The records it returns are those the store
// will hold once the pass is written behind: the explanation is computed
// again from the hot state, exactly as it was (scoring.RescoreBrief).
type Scores struct {
	Hot   *Hot
	Live  *Live
	Store ScoreReader
}

// serving returns the model to serve from Hot with, nil when the store
// serves.
func (s *Scores) serving() *scoring.Model {
	m := s.Live.Model()
	if !s.Hot.Filled() || s.Hot.serving.Load() != int64(m.Version) {
		return nil
	}
	return m
}

// FindScore implements ScoreReader.
func (s *Scores) FindScore(ctx context.Context, profileID string) (*rapport.ScoreRecord, error) {
	if m := s.serving(); m != nil {
		if snap, ok := s.Hot.snapshot(profileID, m); ok {
			rec, err := snap.record(m)
			return &rec, err
		}
	}
	return s.Store.FindScore(ctx, profileID)
}

// FindLeads implements ScoreReader: the top of Hot, filtered in one scan
// of its ranking columns.
func (s *Scores) FindLeads(ctx context.Context, filter rapport.LeadFilter) ([]rapport.ScoreRecord, int, error) {
	m := s.serving()
	if m == nil {
		return s.Store.FindLeads(ctx, filter)
	}
	ids, total := s.Hot.Top(filter)
	out := make([]rapport.ScoreRecord, 0, len(ids))
	for _, id := range ids {
		snap, ok := s.Hot.snapshot(id, m)
		if !ok {
			continue // merged or erased since the scan
		}
		rec, err := snap.record(m)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, rec)
	}
	return out, total, nil
}

// snapshot copies id's entry when it holds a score of model m.
func (h *Hot) snapshot(id string, m *scoring.Model) (snapshot, bool) {
	c, j, ok := h.lookup(id)
	if !ok {
		return snapshot{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e := &c.entries[j]
	if e.id != id || !c.scored(j) || e.state.Version != m.Version {
		return snapshot{}, false
	}
	updated := e.stored
	if e.dirty {
		updated = e.at
	}
	return snapshot{id: id, subject: e.subject, state: fullState(&e.state, m), at: e.at, prev: updated}, true
}

// record is the stored form of the snapshot's score, UpdatedAt being the
// time its record was (or will be) stored.
func (s *snapshot) record(m *scoring.Model) (rapport.ScoreRecord, error) {
	w := &working{state: s.state}
	w.result, _ = scoring.RescoreSubject(m, &s.subject, &w.state, s.at)
	return record(s.id, w, s.prev)
}

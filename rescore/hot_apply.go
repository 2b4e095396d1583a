package rescore

import (
	"fmt"
	"slices"
	"time"

	json "github.com/goccy/go-json"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/scoring"
)

// UseHot makes l keep h current and load states from it. Call it before
// the processor starts, and pass l.Applied as the processor's OnApplied.
func (l *Live) UseHot(h *Hot) { l.hot = h }

// Hot returns the Hot l keeps current, nil when none.
func (l *Live) Hot() *Hot { return l.hot }

// keep remembers the working state Record encoded until its batch is
// stored; the processor does not touch it after Record.
func (l *Live) keep(profileID string, w *working) {
	l.pendingMu.Lock()
	defer l.pendingMu.Unlock()
	if l.pending == nil {
		l.pending = map[string]*working{}
	}
	l.pending[profileID] = w
}

// Applied updates Hot with a batch the store has accepted (the processor's
// OnApplied hook): profiles merged away leave it, and every profile of the
// batch takes its new projection and, when scored, the state Record
// encoded (no decoding). A score computed with a model older than the one
// in use (the batch was scored while the model changed) is rescored with
// the current one at once, so no reader sees it once a pass has run; it
// is written behind like a pass's.
func (l *Live) Applied(c rapport.Changes) {
	h := l.hot
	if h == nil {
		return
	}
	l.pendingMu.Lock()
	pending := l.pending
	l.pending = nil
	l.pendingMu.Unlock()

	merged := make([]string, len(c.Merges))
	for i, m := range c.Merges {
		merged[i] = m.From
	}
	h.Remove(merged...)
	scores := make(map[string]*rapport.ScoreRecord, len(c.Scores))
	for i := range c.Scores {
		scores[c.Scores[i].ProfileID] = &c.Scores[i]
	}
	m, now := l.model.Load(), l.clock.Now()
	updates := make([]update, len(c.Profiles))
	var bad []string
	for i, p := range c.Profiles {
		u := &updates[i]
		// The maps are the stored profile's, which the processor never
		// changes (a batch works on copies): shared, not copied, which
		// keeps this cheap per event; a fill shares their strings instead.
		u.subject = scoring.SubjectOf(p)
		rec := scores[p.ID]
		if rec == nil {
			continue
		}
		u.scored, u.stored = true, rec.UpdatedAt
		if w := pending[p.ID]; w != nil {
			u.state, u.result = w.state, w.result
		} else if err := decodeBrief(rec, &u.state, &u.result); err != nil {
			// A record this process just encoded decodes; if it ever
			// did not, Hot must not serve a stale score for it.
			bad = append(bad, p.ID)
			u.scored = false
			continue
		}
		if u.state.Version != m.Version || u.result.At.IsZero() {
			u.rescore(m, now)
		}
		h.strs.state(&u.state)
	}
	h.Remove(bad...)
	h.mu.Lock()
	defer h.mu.Unlock()
	// A model put in use since the batch was scored above: its pass lists
	// the entries only under h.mu, so it may have passed these by already.
	// Score them with it here; a model set after this read waits for h.mu
	// and its pass finds them.
	if m2 := l.model.Load(); m2 != m {
		for i := range updates {
			if u := &updates[i]; u.scored && u.state.Version != m2.Version {
				u.rescore(m2, now)
				h.strs.state(&u.state)
			}
		}
	}
	for i, p := range c.Profiles {
		if updates[i].scored || !slices.Contains(bad, p.ID) {
			h.updateLocked(p.ID, &updates[i])
		}
	}
}

// update is what a stored batch changes of one entry.
type update struct {
	subject scoring.Subject
	scored  bool
	state   scoring.State
	result  scoring.Result
	stored  time.Time
	dirty   bool
	fired   []string
}

// rescore scores u again with m as of now, to be written behind.
func (u *update) rescore(m *scoring.Model, now time.Time) {
	u.result, u.fired = scoring.RescoreBrief(m, &u.subject, &u.state, now)
	u.dirty = true
}

// updateLocked writes u into id's entry, adding it when new; the caller
// holds h.mu. Without a score it only replaces the projection.
func (h *Hot) updateLocked(id string, u *update) {
	i, ok := h.index[id]
	var c *chunk
	var j int
	if ok {
		c, j = h.slot(i)
	} else {
		c, j = h.add(id)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e := &c.entries[j]
	e.id, e.subject = id, u.subject
	if !u.scored {
		if !ok {
			c.ranks[j] = rank{live: true}
		}
		return
	}
	e.state, e.at, e.stored, e.dirty, e.fired = u.state, u.result.At, u.stored, u.dirty, u.fired
	compactTypes(&e.state, nil)
	c.setRank(j, &u.result)
}

// stateOf copies into dst the state of id if Hot holds exactly the one
// stored with the score of time stored, scored with m: not a newer one
// computed in memory and not yet written (the processor then continues
// from the store's, and the write behind yields to its newer score).
func (h *Hot) stateOf(id string, stored time.Time, m *scoring.Model, dst *scoring.State) bool {
	c, j, ok := h.lookup(id)
	if !ok {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e := &c.entries[j]
	if e.id != id || e.dirty || !c.scored(j) || !e.stored.Equal(stored) || e.state.Version != m.Version {
		return false
	}
	*dst = fullState(&e.state, m)
	return true
}

// decodeBrief reads a stored score's state and its result without the
// explanation (the ranking columns, the time it was computed for).
func decodeBrief(rec *rapport.ScoreRecord, st *scoring.State, r *scoring.Result) error {
	if len(rec.State) > 0 {
		if err := json.Unmarshal(rec.State, st); err != nil {
			return fmt.Errorf("decode scoring state of %s: %w", rec.ProfileID, err)
		}
	}
	var at struct {
		At time.Time `json:"at"`
	}
	if len(rec.Result) > 0 {
		if err := json.Unmarshal(rec.Result, &at); err != nil {
			return fmt.Errorf("decode score of %s: %w", rec.ProfileID, err)
		}
	}
	*r = scoring.Result{Fit: scoring.Fit{Score: rec.Fit, Grade: rec.Grade},
		Engagement: scoring.Engagement{Score: rec.Engagement},
		Lifecycle:  scoring.Lifecycle{Stage: scoring.Stage(rec.Stage), Since: st.Since},
		Priority:   rec.Priority, Version: st.Version, At: at.At}
	return nil
}

package rescore

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	json "github.com/goccy/go-json"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/scoring"
)

// Live scores profiles with the current model: per event for the
// processor (it implements processor.Scorer), and per profile for a Pass.
// The model can be replaced at any time; each call uses the model current
// when it starts.
type Live struct {
	model atomic.Pointer[scoring.Model]
	clock rapport.Clock
	// hot, when set, holds every profile's scoring state: Load takes the
	// state from it instead of decoding JSON, and Applied keeps it current.
	hot *Hot
	// pending holds the working states Record encoded, until the store
	// accepts their batch (Applied).
	pendingMu sync.Mutex
	pending   map[string]*working
}

// NewLive returns a Live scoring with m at the clock's time.
func NewLive(m *scoring.Model, clock rapport.Clock) *Live {
	l := &Live{clock: clock}
	l.model.Store(m)
	return l
}

// Model returns the model in use.
func (l *Live) Model() *scoring.Model { return l.model.Load() }

// SetModel replaces the model; the next event or profile scored uses it.
func (l *Live) SetModel(m *scoring.Model) { l.model.Store(m) }

// working is a profile's working state: the scoring state and the latest
// result.
type working struct {
	state  scoring.State
	result scoring.Result
}

// Load decodes a stored state; nil is a profile never scored. With a Hot
// holding this very state (the score it was stored with), it copies the
// decoded state from there instead.
func (l *Live) Load(rec *rapport.ScoreRecord) (any, error) {
	w := &working{}
	if rec != nil && l.hot != nil && l.hot.stateOf(rec.ProfileID, rec.UpdatedAt, l.model.Load(), &w.state) {
		return w, nil
	}
	if rec != nil && len(rec.State) > 0 {
		if err := json.Unmarshal(rec.State, &w.state); err != nil {
			return nil, fmt.Errorf("decode scoring state: %w", err)
		}
	}
	return w, nil
}

// Score applies ev and turns the rules that became true into
// notifications of type "rule.<name>" carrying the score.
func (l *Live) Score(p *rapport.Profile, state any, ev *rapport.Event) ([]rapport.Notification, error) {
	w, ok := state.(*working)
	if !ok {
		return nil, fmt.Errorf("scoring state of type %T", state)
	}
	now := l.clock.Now()
	var fired []string
	w.result, fired = scoring.Score(l.model.Load(), p, &w.state, ev, now)
	return notifications(p.ID, fired, &w.result, now), nil
}

// notifications turns fired rules into notifications.
func notifications(profileID string, fired []string, r *scoring.Result, now time.Time) []rapport.Notification {
	if len(fired) == 0 {
		return nil
	}
	notes := make([]rapport.Notification, len(fired))
	for i, name := range fired {
		notes[i] = rapport.Notification{Type: "rule." + name, ProfileID: profileID, At: now,
			Payload: map[string]any{"rule": name, "score": r}}
	}
	return notes
}

// Merge folds the working state of a profile merged away into the
// survivor's (scoring.MergeStates); the result is the survivor's until its
// next event scores the merged profile.
func (l *Live) Merge(into, from any) (any, error) {
	a, ok := into.(*working)
	b, ok2 := from.(*working)
	if !ok || !ok2 {
		return nil, fmt.Errorf("scoring states of type %T and %T", into, from)
	}
	return &working{state: scoring.MergeStates(l.model.Load(), a.state, b.state), result: a.result}, nil
}

// Record encodes the state and the latest result.
func (l *Live) Record(profileID string, state any) (rapport.ScoreRecord, error) {
	w, ok := state.(*working)
	if !ok {
		return rapport.ScoreRecord{}, fmt.Errorf("scoring state of type %T", state)
	}
	rec, err := record(profileID, w, l.clock.Now())
	if err == nil && l.hot != nil {
		l.keep(profileID, w)
	}
	return rec, err
}

func record(profileID string, w *working, now time.Time) (rapport.ScoreRecord, error) {
	stateJSON, err := json.Marshal(&w.state)
	if err != nil {
		return rapport.ScoreRecord{}, fmt.Errorf("encode scoring state: %w", err)
	}
	resultJSON, err := json.Marshal(&w.result)
	if err != nil {
		return rapport.ScoreRecord{}, fmt.Errorf("encode score: %w", err)
	}
	r := &w.result
	return rapport.ScoreRecord{ProfileID: profileID, Fit: r.Fit.Score, Grade: r.Fit.Grade,
		Engagement: r.Engagement.Score, Stage: string(r.Lifecycle.Stage), Priority: r.Priority,
		State: stateJSON, Result: resultJSON, UpdatedAt: now}, nil
}

// Rescore returns p's score as of now from its stored score rec (nil when
// it has none), with the current model, and the notifications of rules
// that became true.
func (l *Live) Rescore(p *rapport.Profile, rec *rapport.ScoreRecord) (rapport.ScoreRecord, []rapport.Notification, error) {
	st, err := l.Load(rec)
	if err != nil {
		return rapport.ScoreRecord{}, nil, fmt.Errorf("rescore %s: %w", p.ID, err)
	}
	w := st.(*working)
	now := l.clock.Now()
	var fired []string
	w.result, fired = scoring.Rescore(l.model.Load(), p, &w.state, now)
	out, err := record(p.ID, w, now)
	if err != nil {
		return out, nil, fmt.Errorf("rescore %s: %w", p.ID, err)
	}
	return out, notifications(p.ID, fired, &w.result, now), nil
}

package processor_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/processor"
)

// countScorer counts each profile's events and the page views it saw on
// the profile when scoring, and fires rule.two at the second event.
type countScorer struct{ calls int }

type countState struct {
	N     int   `json:"n"`
	Views int64 `json:"views"`
}

func (s *countScorer) Load(rec *rapport.ScoreRecord) (any, error) {
	st := &countState{}
	if rec != nil {
		if err := json.Unmarshal(rec.State, st); err != nil {
			return nil, err
		}
	}
	return st, nil
}

func (s *countScorer) Score(p *rapport.Profile, state any, ev *rapport.Event) ([]rapport.Notification, error) {
	s.calls++
	st := state.(*countState)
	st.N++
	st.Views = p.Aggregates.PageViews
	if st.N == 2 {
		return []rapport.Notification{{Type: "rule.two", ProfileID: p.ID, At: ev.Timestamp}}, nil
	}
	return nil, nil
}

func (s *countScorer) Record(profileID string, state any) (rapport.ScoreRecord, error) {
	st := state.(*countState)
	b, err := json.Marshal(st)
	return rapport.ScoreRecord{ProfileID: profileID, Priority: float64(st.N), Stage: "lead",
		State: b, Result: json.RawMessage(fmt.Sprintf(`{"priority":%d}`, st.N))}, err
}

// Merge adds the counts of the profile merged away to the survivor's.
func (s *countScorer) Merge(into, from any) (any, error) {
	a, b := into.(*countState), from.(*countState)
	return &countState{N: a.N + b.N, Views: a.Views}, nil
}

// scoreState reads a profile's stored count state.
func scoreState(t *testing.T, s rapport.ProfileStore, id string) countState {
	t.Helper()
	rec, err := s.FindScore(context.Background(), id)
	if err != nil {
		t.Fatalf("FindScore(%s): %v", id, err)
	}
	var st countState
	if err := json.Unmarshal(rec.State, &st); err != nil {
		t.Fatalf("score state %s: %v", rec.State, err)
	}
	return st
}

func TestScorerRunsPerEvent(t *testing.T) {
	l, s, _ := newStores(t)
	ctx := context.Background()
	scorer := &countScorer{}
	var notes []rapport.Notification
	opts := processor.Options{Scorer: scorer, OnApplied: func(c rapport.Changes) { notes = append(notes, c.Notifications...) }}
	appendEvents(t, l, page("", "a1", 0), page("", "a1", 1), identify("42", "a0", 2, nil))
	catchUp(t, newProcessor(l, s, opts))
	anon := profileOf(t, s, rapport.IdentityAnonymousID, "a1").ID
	u := user(t, s, "42").ID
	if got := scoreState(t, s, anon); got != (countState{N: 2, Views: 2}) {
		t.Errorf("anonymous profile's state = %+v, want 2 events, the second seeing 2 page views", got)
	}
	if got := scoreState(t, s, u); got.N != 1 {
		t.Errorf("user's state = %+v, want 1 event", got)
	}
	if len(notes) != 1 || notes[0].Type != "rule.two" || notes[0].ProfileID != anon {
		t.Fatalf("notifications = %+v, want rule.two for %s", notes, anon)
	}

	// a1 joins user 42: the merged profile's state is folded into the
	// survivor's (1 + 2 events, then this one), its score deleted.
	appendEvents(t, l, identify("42", "a1", 3, nil))
	p := newProcessor(l, s, opts)
	catchUp(t, p)
	if _, err := s.FindScore(ctx, anon); rapport.ErrorCode(err) != rapport.ENOTFOUND {
		t.Errorf("merged profile's score: err %v, want not found", err)
	}
	if got := scoreState(t, s, u); got.N != 4 || got.Views != 2 {
		t.Errorf("survivor's state = %+v, want both profiles' 3 events and this one, seeing the merged page views", got)
	}

	// The same processor continues from its cache, a new one from the store.
	appendEvents(t, l, page("42", "", 4))
	catchUp(t, p)
	appendEvents(t, l, page("42", "", 5))
	catchUp(t, newProcessor(l, s, opts))
	if got := scoreState(t, s, u); got.N != 6 {
		t.Errorf("state after two more events = %+v, want 6", got)
	}
	if scorer.calls != 6 {
		t.Errorf("Score called %d times, want once per event (6)", scorer.calls)
	}
}

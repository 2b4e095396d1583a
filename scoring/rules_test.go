package scoring_test

import (
	"testing"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/scoring"
)

func TestRulesFireWhenTheyBecomeTrue(t *testing.T) {
	m := small(t) // engaged: engagement ≥ 50; a-lead: grade A and stage lead
	good := map[string]any{"age": 40, "zip": "75001", "homeowner": true}
	p := person(good, "email:a@example.com")
	var st scoring.State
	steps := []struct {
		name  string
		visit bool
		at    int // days after now
		fired []string
	}{
		{"first scoring: both become true", true, 0, []string{"engaged", "a-lead"}},
		{"still true: nothing fires", true, 0, nil},
		{"engagement fades: nothing fires", false, 30, nil},
		{"engaged again: it fires again", true, 30, []string{"engaged"}},
	}
	for _, s := range steps {
		at := now.AddDate(0, 0, s.at)
		var fired []string
		if s.visit {
			_, fired = scoring.Score(m, p, &st, track(p, "Store Visited", at), at)
		} else {
			_, fired = scoring.Rescore(m, p, &st, at)
		}
		if !equal(fired, s.fired) {
			t.Errorf("%s: fired %q, want %q", s.name, fired, s.fired)
		}
	}
	// An order ends the lead stage: a-lead is no longer active.
	ev := order(p, now.AddDate(0, 0, 31), "c")
	scoring.Score(m, p, &st, ev, ev.Timestamp)
	if !equal(st.Active, []string{"engaged"}) {
		t.Errorf("active rules = %q, want [engaged]", st.Active)
	}
}

func TestRulesOfAChangedModel(t *testing.T) {
	m := small(t)
	p := person(nil)
	st := scoring.State{Active: []string{"gone", "engaged"}}
	_, fired := scoring.Score(m, p, &st, &rapport.Event{Type: rapport.EventTrack, Event: "Store Visited", Timestamp: now}, now)
	if len(fired) != 0 || !equal(st.Active, []string{"engaged"}) {
		t.Errorf("fired %q, active %q; want none fired, [engaged] active", fired, st.Active)
	}
}

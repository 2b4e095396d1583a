package scoring_test

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/scoring"
)

// cloneState copies a state's slices, so two scorings start from equal
// states that share nothing.
func cloneState(st scoring.State) scoring.State {
	st.Types = slices.Clone(st.Types)
	st.History = slices.Clone(st.History)
	st.Active = slices.Clone(st.Active)
	return st
}

// TestRescoreBriefMatchesRescore checks that the explanation-free
// rescoring gives the same result, state and fired rules as the full one,
// across stage changes (a customer lapsing with time, a model change),
// and that rescoring the brief's state again at its time gives the full
// explanation.
func TestRescoreBriefMatchesRescore(t *testing.T) {
	p, st, _ := benchProfile()
	lead := person(map[string]any{"age": 30}, "email:l@example.com")
	prospect := person(nil)
	advocate, adv, _ := benchProfile()
	for range 3 {
		scoring.Score(scoring.B2C(), advocate, &adv, track(advocate, "Review Submitted", now.Add(-2*day)), now.Add(-day))
	}
	b2b := scoring.B2B()
	cases := []struct {
		name string
		m    *scoring.Model
		p    *rapport.Profile
		st   scoring.State
		at   time.Time
	}{
		{"customer now", scoring.B2C(), p, st, now},
		{"customer lapsed a year on", scoring.B2C(), p, st, now.AddDate(1, 0, 0)},
		{"customer under another model", b2b, p, st, now.AddDate(0, 3, 0)},
		{"advocate", scoring.B2C(), advocate, adv, now},
		{"lead never scored", scoring.B2C(), lead, scoring.State{}, now},
		{"prospect never scored", scoring.B2C(), prospect, scoring.State{}, now},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := scoring.SubjectOf(c.p)
			full, brief := cloneState(c.st), cloneState(c.st)
			wantRes, wantFired := scoring.Rescore(c.m, c.p, &full, c.at)
			gotRes, gotFired := scoring.RescoreBrief(c.m, &s, &brief, c.at)
			if gotRes.Explanation != nil {
				t.Errorf("brief result has an explanation of %d lines", len(gotRes.Explanation))
			}
			withoutExpl := wantRes
			withoutExpl.Explanation = nil
			if !reflect.DeepEqual(gotRes, withoutExpl) {
				t.Errorf("brief result\n%+v\nwant\n%+v", gotRes, withoutExpl)
			}
			if !reflect.DeepEqual(brief, full) {
				t.Errorf("state after brief\n%+v\nwant\n%+v", brief, full)
			}
			if !slices.Equal(gotFired, wantFired) {
				t.Errorf("fired %v, want %v", gotFired, wantFired)
			}
			again := cloneState(brief)
			explained, fired := scoring.RescoreSubject(c.m, &s, &again, gotRes.At)
			if !reflect.DeepEqual(explained, wantRes) || len(fired) != 0 {
				t.Errorf("explained again\n%+v (fired %v)\nwant\n%+v", explained, fired, wantRes)
			}
		})
	}
}

func TestSubjectOf(t *testing.T) {
	p := person(map[string]any{"age": 40}, "email:a@example.com", "phone:+15550100")
	order(p, now.Add(-40*day), "books")
	order(p, now.Add(-day), "music")
	s := scoring.SubjectOf(p)
	want := scoring.KindBit(rapport.IdentityAnonymousID) | scoring.KindBit(rapport.IdentityEmail) | scoring.KindBit(rapport.IdentityPhone)
	if s.Kinds != want || s.Orders != 2 || s.ProductLines != 2 || !s.LastOrderAt.Equal(now.Add(-day)) ||
		s.Events[rapport.EventOrderCompleted] != 2 || s.Traits["age"] != 40 {
		t.Errorf("SubjectOf = %+v; want kinds %b, 2 orders in 2 lines", s, want)
	}
	if scoring.KindBit("fax") != 0 {
		t.Error("an unknown identity kind has a bit")
	}
}

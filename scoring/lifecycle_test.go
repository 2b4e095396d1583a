package scoring_test

import (
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/scoring"
)

// step is one moment of a lifecycle: an event scored at its own time (or
// a rescore at `at` when ev is nil) and the stage and since expected.
type step struct {
	name  string
	event func(p *rapport.Profile, at time.Time) *rapport.Event
	at    time.Time
	stage scoring.Stage
	since time.Time
}

func TestLifecycleThroughEveryStage(t *testing.T) {
	m := small(t) // lead: email; loyal: 4 orders over 100d; advocate: a review; rhythm: 30d default, 10d min, ×2 at risk, ×4 lapsed
	t0 := now.Add(-2 * 365 * day)
	identify := func(p *rapport.Profile, at time.Time) *rapport.Event {
		p.Identities = append(p.Identities, rapport.Identity{Kind: rapport.IdentityEmail, Value: "a@example.com"})
		ev := track(p, "identify", at)
		ev.Type, ev.Event = rapport.EventIdentify, ""
		return ev
	}
	buy := func(p *rapport.Profile, at time.Time) *rapport.Event { return order(p, at, "c") }
	review := func(p *rapport.Profile, at time.Time) *rapport.Event { return track(p, "Review Submitted", at) }
	t2, t3 := t0.Add(2*day), t0.Add(132*day)
	t5 := t3.Add(60 * day)
	usual := t5.Sub(t2) / 3 // 63d 8h: the mean gap over four orders
	steps := []step{
		{"anonymous visitor", page, t0, scoring.StageProspect, t0},
		{"identified", identify, t0.Add(day), scoring.StageLead, t0.Add(day)},
		{"first order", buy, t2, scoring.StageNew, t2},
		{"no order for 2 × the default 30d", nil, t2.Add(61 * day), scoring.StageAtRisk, t2.Add(60 * day)},
		{"no order for 4 × 30d", nil, t2.Add(125 * day), scoring.StageLapsed, t2.Add(120 * day)},
		{"an order brings them back", buy, t3, scoring.StageRepeat, t3},
		{"third order", buy, t3.Add(30 * day), scoring.StageRepeat, t3},
		{"fourth order over 190d: loyal", buy, t5, scoring.StageLoyal, t5},
		{"a review: advocate", review, t5.Add(5 * day), scoring.StageAdvocate, t5.Add(5 * day)},
		{"overdue against their own rhythm", nil, t5.Add(2*usual + day), scoring.StageAtRisk, t5.Add(2 * usual)},
		{"lapsed advocate", nil, t5.Add(4*usual + day), scoring.StageLapsed, t5.Add(4 * usual)},
		{"an order: advocate again", buy, now, scoring.StageAdvocate, now},
	}
	p := person(nil)
	var st scoring.State
	runSteps(t, m, p, &st, steps)

	want := []scoring.Stage{scoring.StageProspect, scoring.StageLead, scoring.StageNew, scoring.StageAtRisk,
		scoring.StageLapsed, scoring.StageRepeat, scoring.StageLoyal, scoring.StageAdvocate,
		scoring.StageAtRisk, scoring.StageLapsed, scoring.StageAdvocate}
	if len(st.History) != len(want) {
		t.Fatalf("history has %d transitions, want %d: %+v", len(st.History), len(want), st.History)
	}
	for i, tr := range st.History {
		if tr.To != want[i] || (i > 0 && tr.From != want[i-1]) || tr.Reason == "" {
			t.Errorf("transition %d = %+v, want to %s", i, tr, want[i])
		}
		if i > 0 && tr.At.Before(st.History[i-1].At) {
			t.Errorf("transition %d at %v, before the previous one", i, tr.At)
		}
	}
}

func runSteps(t *testing.T, m *scoring.Model, p *rapport.Profile, st *scoring.State, steps []step) {
	t.Helper()
	for _, s := range steps {
		var r scoring.Result
		if s.event != nil {
			r, _ = scoring.Score(m, p, st, s.event(p, s.at), s.at)
		} else {
			r, _ = scoring.Rescore(m, p, st, s.at)
		}
		if r.Lifecycle.Stage != s.stage || !r.Lifecycle.Since.Equal(s.since) {
			t.Errorf("%s: %s since %v, want %s since %v", s.name, r.Lifecycle.Stage, r.Lifecycle.Since, s.stage, s.since)
		}
	}
}

func TestLifecycleLoyalByProductLines(t *testing.T) {
	m := small(t)
	p := person(nil, "email:a@example.com")
	var st scoring.State
	for i, c := range []string{"shoes", "bags", "hats"} {
		at := now.Add(time.Duration(i-3) * day)
		r, _ := scoring.Score(m, p, &st, order(p, at, c), at)
		want := []scoring.Stage{scoring.StageNew, scoring.StageRepeat, scoring.StageLoyal}[i]
		if r.Lifecycle.Stage != want {
			t.Errorf("after %d orders in %d lines: %s, want %s", i+1, i+1, r.Lifecycle.Stage, want)
		}
	}
}

// An order history imported in one go (every event scored at today's
// date) records the same history as one scored as it happened: a lapse
// that a later order shows did not happen is taken back.
func TestLifecycleImportMatchesLive(t *testing.T) {
	m := scoring.B2C()
	history := func(scoreAt func(ev *rapport.Event) time.Time) []scoring.Transition {
		p := person(nil, "email:a@example.com")
		var st scoring.State
		for _, h := range everyFewMonths(20*day, "a") {
			ev := h(p)
			scoring.Score(m, p, &st, ev, scoreAt(ev))
		}
		scoring.Rescore(m, p, &st, now)
		return st.History
	}
	liveH := history(func(ev *rapport.Event) time.Time { return ev.Timestamp })
	importH := history(func(*rapport.Event) time.Time { return now })
	if len(liveH) != 3 || liveH[2].To != scoring.StageLoyal {
		t.Fatalf("live history = %+v, want new, repeat, loyal", liveH)
	}
	if len(importH) != len(liveH) {
		t.Fatalf("imported history = %+v\nwant %+v", importH, liveH)
	}
	for i := range liveH {
		if importH[i] != liveH[i] {
			t.Errorf("transition %d: imported %+v, live %+v", i, importH[i], liveH[i])
		}
	}
}

func TestLifecycleHistoryIsBounded(t *testing.T) {
	m := small(t)
	p := person(nil)
	var st scoring.State
	email := rapport.Identity{Kind: rapport.IdentityEmail, Value: "a@example.com"}
	for i := range 60 { // identified, forgotten, identified again: lead, prospect, lead...
		if i%2 == 0 {
			p.Identities = append(p.Identities, email)
		} else {
			p.Identities = p.Identities[:1]
		}
		at := now.Add(time.Duration(i-60) * day)
		scoring.Score(m, p, &st, page(p, at), at)
	}
	if len(st.History) != scoring.MaxHistory {
		t.Fatalf("history has %d transitions, want %d", len(st.History), scoring.MaxHistory)
	}
	first, last := st.History[0], st.History[len(st.History)-1]
	if !first.At.Equal(now.Add(-50*day)) || last.To != st.Stage || !last.At.Equal(now.Add(-day)) {
		t.Errorf("history from %+v to %+v, state %s; want the latest 50", first, last, st.Stage)
	}
}

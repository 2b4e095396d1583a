package scoring

import (
	"time"

	"github.com/rapportdev/rapport"
)

// Score applies one event to st and scores the profile as of now. p is the
// profile after the event (its traits, identities and aggregates); ev is
// the event. Engagement counts the event at its own time: daily caps by the
// event's UTC day, decay from its timestamp (an event older than the
// latest counted adds its points already decayed). Fit is recomputed from
// traits, the lifecycle stage from aggregates at the event's time and then
// at now, recording transitions in st.History. Score returns the result and
// the names of the rules that became true.
//
// A nil ev is a Rescore. m should be validated (ParseModel, B2C and B2B return validated models).
// Score does no I/O and allocates little; it is not safe to call
// concurrently on the same State.
func Score(m *Model, p *rapport.Profile, st *State, ev *rapport.Event, now time.Time) (Result, []string) {
	if ev == nil {
		return Rescore(m, p, st, now)
	}
	c := m.compiled()
	st.alignTypes(c)
	s := SubjectOf(p)
	t := ev.Timestamp
	if t.After(now) || t.IsZero() {
		t = now
	}
	if i := matchType(c, ev); i >= 0 {
		st.interact(c, i, t)
	}
	st.retract(t)
	st.advance(stageAt(c, &s, t, true), t)
	return evaluate(c, &s, st, now, true)
}

// Rescore scores the profile as of now without a new event: engagement
// decays to now, and the stage moves to at-risk or lapsed when time alone
// takes it there. Use it when time has passed or the model has changed. It
// returns the result and the names of the rules that became true.
func Rescore(m *Model, p *rapport.Profile, st *State, now time.Time) (Result, []string) {
	s := SubjectOf(p)
	return RescoreSubject(m, &s, st, now)
}

// RescoreSubject is Rescore of the profile s was taken from.
func RescoreSubject(m *Model, s *Subject, st *State, now time.Time) (Result, []string) {
	c := m.compiled()
	st.alignTypes(c)
	return evaluate(c, s, st, now, true)
}

// RescoreBrief is RescoreSubject without the explanation: the result's
// Explanation is nil, every other field and st are exactly what
// RescoreSubject gives, and the same rules fire. It is for rescoring
// every profile in memory, where the explanation (most of a result's
// bytes and a third of its time) is wanted only for the few profiles
// someone looks at: RescoreSubject on a copy of st at the result's At
// gives it then, identical, since scoring twice at one moment changes
// nothing the second time.
func RescoreBrief(m *Model, s *Subject, st *State, now time.Time) (Result, []string) {
	c := m.compiled()
	st.alignTypes(c)
	return evaluate(c, s, st, now, false)
}

// evaluate scores all dimensions at now and fires rules; explain adds the
// explanation.
func evaluate(c *compiled, s *Subject, st *State, now time.Time, explain bool) (Result, []string) {
	v := stageAt(c, s, now, explain)
	if !explain && v.stage != st.Stage {
		// The transition records why.
		v = stageAt(c, s, now, true)
	}
	st.advance(v, now)
	if since := c.since(s, v); !since.IsZero() {
		st.Since = since
	}
	st.Version = c.version
	r := Result{Version: c.version, At: now}
	if explain {
		r.Explanation = make([]Contribution, 0, len(c.fit)+st.typesSeen()+4)
	}
	r.Fit, r.Explanation = scoreFit(c, s.Traits, r.Explanation, explain)
	r.Engagement, r.Explanation = scoreEngagement(c, st, now, r.Explanation, explain)
	r.Lifecycle = Lifecycle{Stage: st.Stage, Since: st.Since}
	priority(c, &r, v.reason, explain)
	return r, fireRules(c, st, &r)
}

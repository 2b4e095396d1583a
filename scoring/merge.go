package scoring

import (
	"slices"
	"time"
)

// MergeStates returns the state of a profile made of two: into (the
// survivor) and from (folded into it), so that engagement earned on either
// is kept when identity resolution finds they are one person.
//
//   - Engagement: both are decayed to the later of their last interactions
//     and added per interaction type, with their counts; daily cap
//     counters add up when both are of the same day, else the later day's
//     are kept (the earlier day's are past anyway).
//   - Lifecycle: the survivor's stage stays until the next scoring places
//     the merged profile (the stage follows from the profile, not from the
//     states); the two histories are interleaved by time, bounded by
//     MaxHistory.
//   - Rules: a rule true for either is true for the merge, so merging does
//     not fire again a rule that fired for one of them.
//
// m should be validated; both states are aligned to its interaction types.
// Neither argument is modified.
func MergeStates(m *Model, into, from State) State {
	c := m.compiled()
	into = cloneState(into)
	from = cloneState(from)
	into.alignTypes(c)
	from.alignTypes(c)
	at := into.EngagedAt
	if from.EngagedAt.After(at) {
		at = from.EngagedAt
	}
	decayTo(c, &into, at)
	decayTo(c, &from, at)
	out := into
	out.EngagedAt = at
	if from.CapDay > into.CapDay {
		out.CapDay = from.CapDay
	}
	for i := range out.Types {
		a, b := &out.Types[i], from.Types[i]
		a.Count += b.Count
		a.Capped += b.Capped
		a.Earned += b.Earned
		a.Points += b.Points
		switch {
		case from.CapDay == into.CapDay:
			a.Today, a.Yesterday, a.Older = a.Today+b.Today, a.Yesterday+b.Yesterday, a.Older+b.Older
		case from.CapDay > into.CapDay:
			a.Today, a.Yesterday, a.Older = b.Today, b.Yesterday, b.Older
		}
	}
	out.History = append(out.History, from.History...)
	slices.SortStableFunc(out.History, func(x, y Transition) int { return x.At.Compare(y.At) })
	if len(out.History) > MaxHistory {
		out.History = out.History[len(out.History)-MaxHistory:]
	}
	for _, r := range from.Active {
		if !slices.Contains(out.Active, r) {
			out.Active = append(out.Active, r)
		}
	}
	slices.Sort(out.Active)
	return out
}

// decayTo decays st's points from its EngagedAt to t.
func decayTo(c *compiled, st *State, t time.Time) {
	if st.EngagedAt.IsZero() || !t.After(st.EngagedAt) {
		return
	}
	f := c.decay(t.Sub(st.EngagedAt))
	for j := range st.Types {
		st.Types[j].Points *= f
	}
	st.EngagedAt = t
}

// cloneState copies the slices of st, so merging never writes into a
// state the caller keeps.
func cloneState(st State) State {
	st.Types = slices.Clone(st.Types)
	st.History = slices.Clone(st.History)
	st.Active = slices.Clone(st.Active)
	return st
}

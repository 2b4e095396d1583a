package scoring

import (
	"math"
	"strconv"
	"time"

	"github.com/rapportdev/rapport"
)

// Engagement is the engagement dimension of a result, 0-100.
type Engagement struct {
	Score float64 `json:"score"`
}

// matchType returns the index of the first interaction type ev is of, or
// -1.
func matchType(c *compiled, ev *rapport.Event) int {
	name := ev.Event
	if ev.Type != rapport.EventTrack {
		name = string(ev.Type)
	}
	channel, _ := ev.Context["channel"].(string)
	for i := range c.types {
		t := &c.types[i]
		if len(t.events) > 0 && !inSet(name, t.events) {
			continue
		}
		if len(t.channels) > 0 && !inSet(channel, t.channels) {
			continue
		}
		if t.matchProperties(ev.Properties) {
			return i
		}
	}
	return -1
}

func (t *interactionType) matchProperties(props map[string]any) bool {
	for _, pm := range t.properties {
		s, ok := text(props[pm.key])
		if !ok || !inSet(s, pm.values) {
			return false
		}
	}
	return true
}

// interact counts one interaction of type i at time t, unless the type's
// cap for t's day is reached. Points are decayed from t: an interaction
// newer than st.EngagedAt moves the reference time forward (decaying what
// was there), an older one adds its points already decayed by its age.
func (st *State) interact(c *compiled, i int, t time.Time) bool {
	st.shiftDay(dayOf(t))
	ts := &st.Types[i]
	counter := &ts.Older
	switch dayOf(t) {
	case st.CapDay:
		counter = &ts.Today
	case st.CapDay - 1:
		counter = &ts.Yesterday
	}
	if *counter >= c.types[i].dailyCap {
		ts.Capped++
		return false
	}
	*counter++
	pts := c.types[i].points
	ts.Count++
	ts.Earned += pts
	if st.EngagedAt.IsZero() || t.After(st.EngagedAt) {
		if !st.EngagedAt.IsZero() {
			f := c.decay(t.Sub(st.EngagedAt))
			for j := range st.Types {
				st.Types[j].Points *= f
			}
		}
		st.EngagedAt = t
		ts.Points += pts
		return true
	}
	ts.Points += pts * c.decay(st.EngagedAt.Sub(t))
	return true
}

// shiftDay moves the daily counters forward when day is after CapDay.
func (st *State) shiftDay(day int64) {
	if day <= st.CapDay {
		return
	}
	for j := range st.Types {
		ts := &st.Types[j]
		if day == st.CapDay+1 {
			ts.Yesterday = ts.Today
		} else {
			ts.Yesterday = 0
		}
		ts.Today, ts.Older = 0, 0
	}
	st.CapDay = day
}

// dayOf is t's UTC day, counted from 1970-01-01.
func dayOf(t time.Time) int64 {
	s := t.Unix()
	d := s / 86400
	if s%86400 < 0 {
		d--
	}
	return d
}

// decay is the factor points keep after d: 2^(−d / half-life).
func (c *compiled) decay(d time.Duration) float64 {
	if d <= 0 {
		return 1
	}
	return math.Exp2(-float64(d) / c.halfLife)
}

// scoreEngagement decays the points of st to now and turns their sum into
// a score, appending one contribution per type that was ever counted: its
// share of the score, proportional to its points, when explain is set.
func scoreEngagement(c *compiled, st *State, now time.Time, expl []Contribution, explain bool) (Engagement, []Contribution) {
	f := c.decay(now.Sub(st.EngagedAt))
	var total float64
	for i := range st.Types {
		total += st.Types[i].Points * f
	}
	score := 100 * (1 - math.Exp2(-total/c.halfScore))
	if !explain {
		return Engagement{Score: round1(score)}, expl
	}
	for i := range st.Types {
		ts := &st.Types[i]
		if ts.Count == 0 && ts.Capped == 0 {
			continue
		}
		left := ts.Points * f
		share := 0.0
		if total > 0 {
			share = score * left / total
		}
		expl = append(expl, Contribution{Dimension: DimensionEngagement, Rule: ts.Type,
			Points: round1(share), Detail: engagementDetail(c, ts, left)})
	}
	return Engagement{Score: round1(score)}, expl
}

// engagementDetail writes e.g. "3 counted, 30.0 points, 12.4 left after
// decay (−59%, half-life 30d); 2 over the daily cap".
func engagementDetail(c *compiled, ts *TypeState, left float64) string {
	b := make([]byte, 0, 96)
	b = strconv.AppendInt(b, ts.Count, 10)
	b = append(b, " counted, "...)
	b = strconv.AppendFloat(b, ts.Earned, 'f', 1, 64)
	b = append(b, " points, "...)
	b = strconv.AppendFloat(b, left, 'f', 1, 64)
	b = append(b, " left after decay ("...)
	if ts.Earned > 0 {
		b = append(b, "−"...)
		b = strconv.AppendFloat(b, math.Round(100*(1-left/ts.Earned)), 'f', 0, 64)
		b = append(b, "%, "...)
	}
	b = append(b, c.halfDesc...)
	b = append(b, ')')
	if ts.Capped > 0 {
		b = append(b, "; "...)
		b = strconv.AppendInt(b, ts.Capped, 10)
		b = append(b, " over the daily cap"...)
	}
	return string(b)
}

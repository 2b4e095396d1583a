package scoring

import "slices"

// holds reports whether the result meets the condition.
func (cond *Condition) holds(r *Result) bool {
	return (len(cond.Grades) == 0 || slices.Contains(cond.Grades, r.Fit.Grade)) &&
		(len(cond.Stages) == 0 || slices.Contains(cond.Stages, r.Lifecycle.Stage)) &&
		r.Fit.Score >= cond.MinFit &&
		r.Engagement.Score >= cond.MinEngagement &&
		r.Priority >= cond.MinPriority
}

// fireRules evaluates the model's rules on r and returns those that became
// true since the last scoring; st.Active becomes the rules true now. A
// rule that turns false can fire again when it next turns true.
func fireRules(c *compiled, st *State, r *Result) []string {
	var fired []string
	changed := false
	n := 0
	for i := range c.rules {
		rule := &c.rules[i]
		was := slices.Contains(st.Active, rule.Name)
		is := rule.When.holds(r)
		if is {
			n++
		}
		if is && !was {
			fired = append(fired, rule.Name)
		}
		changed = changed || is != was
	}
	if !changed && n == len(st.Active) {
		return fired
	}
	active := make([]string, 0, n)
	for i := range c.rules {
		if c.rules[i].When.holds(r) {
			active = append(active, c.rules[i].Name)
		}
	}
	st.Active = active
	return fired
}

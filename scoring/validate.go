package scoring

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/rapportdev/rapport"
	"gopkg.in/yaml.v3"
)

// Problem is one reason a model is invalid, at a field path such as
// "fit.rules[3].max" and, when the model was read from YAML, a line.
type Problem struct {
	Path    string `json:"path"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}

// String writes "path: message (line n)".
func (p Problem) String() string {
	s := p.Path + ": " + p.Message
	if p.Line > 0 {
		s += " (line " + strconv.Itoa(p.Line) + ")"
	}
	return s
}

// ValidationError lists every problem of a model. It unwraps to a rapport
// error with code EINVALID whose message lists them, one a line.
type ValidationError struct {
	Problems []Problem
}

// Error lists the problems, one a line.
func (e *ValidationError) Error() string {
	return "invalid scoring model:\n" + e.list()
}

// Unwrap returns the domain error the HTTP layer shows.
func (e *ValidationError) Unwrap() error {
	return rapport.Errorf(rapport.EINVALID, "invalid scoring model:\n%s", e.list())
}

func (e *ValidationError) list() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// validator collects problems with the line of the field they concern.
type validator struct {
	lines    map[string]int
	problems []Problem
}

func (v *validator) addf(path, format string, args ...any) {
	v.problems = append(v.problems, Problem{Path: path, Line: v.line(path), Message: fmt.Sprintf(format, args...)})
}

// line finds the line of path, else of its nearest ancestor present in
// the YAML (a missing field is reported at the object that lacks it).
func (v *validator) line(path string) int {
	for path != "" {
		if n, ok := v.lines[path]; ok {
			return n
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			return 0
		}
		path = path[:i]
	}
	return 0
}

// Validate checks every field of m and reports all problems at once as a
// *ValidationError. A valid model is compiled and cached for Score.
func (m *Model) Validate() error {
	v := &validator{lines: m.lines}
	if m.Version < 0 {
		v.addf("version", "must be 0 or more (0 or absent: the store numbers versions)")
	}
	v.fit(&m.Fit)
	v.engagement(&m.Engagement)
	v.lifecycle(&m.Lifecycle)
	v.priority(&m.Priority)
	v.rules(m.Rules)
	if len(v.problems) > 0 {
		m.c = nil
		return &ValidationError{Problems: v.problems}
	}
	m.c = compile(m)
	return nil
}

func (v *validator) fit(f *FitModel) {
	if len(f.Rules) == 0 {
		v.addf("fit.rules", "at least one rule is required")
	}
	seen := map[string]string{}
	for i := range f.Rules {
		path := fmt.Sprintf("fit.rules[%d]", i)
		v.fitRule(path, &f.Rules[i])
		label := f.Rules[i].label()
		if prev, ok := seen[label]; ok && label != "" {
			v.addf(path+".name", "duplicate rule name %q (also %s); set name to tell them apart", label, prev)
		}
		seen[label] = path
	}
	g := f.Grades
	v.percent("fit.grades.a", g.A)
	v.percent("fit.grades.b", g.B)
	v.percent("fit.grades.c", g.C)
	if g.B > g.A {
		v.addf("fit.grades.b", "above a (%g > %g)", g.B, g.A)
	}
	if g.C > g.B {
		v.addf("fit.grades.c", "above b (%g > %g)", g.C, g.B)
	}
}

func (v *validator) fitRule(path string, r *FitRule) {
	if r.Trait == "" {
		v.addf(path+".trait", "required")
	}
	for j, a := range r.Aliases {
		if a == "" {
			v.addf(fmt.Sprintf("%s.aliases[%d]", path, j), "empty")
		}
	}
	switch r.Kind {
	case KindRange:
		v.rangeRule(path, r)
	case KindSet:
		if len(r.Values) == 0 {
			v.addf(path+".values", "a set rule needs at least one value")
		}
	case KindBool:
	case "":
		v.addf(path+".kind", "required: range, set or bool")
	default:
		v.addf(path+".kind", "unknown kind %q: want range, set or bool", r.Kind)
	}
	v.onlyFor(path, r)
	v.percent(path+".points", r.Points)
	v.percent(path+".miss_points", r.MissPoints)
	v.percent(path+".unknown_points", r.UnknownPoints)
	if !(r.Weight > 0) || math.IsInf(r.Weight, 0) {
		v.addf(path+".weight", "must be a number above 0")
	}
}

func (v *validator) rangeRule(path string, r *FitRule) {
	if r.Min == nil && r.Max == nil {
		v.addf(path, "a range rule needs min, max or both")
	}
	if r.Min != nil && math.IsNaN(*r.Min) {
		v.addf(path+".min", "not a number")
	}
	if r.Max != nil && math.IsNaN(*r.Max) {
		v.addf(path+".max", "not a number")
	}
	if r.Min != nil && r.Max != nil && *r.Max < *r.Min {
		v.addf(path+".max", "below min (%g < %g)", *r.Max, *r.Min)
	}
}

// onlyFor reports fields that the rule's kind does not read.
func (v *validator) onlyFor(path string, r *FitRule) {
	if r.Kind != KindRange && r.Kind != "" {
		if r.Min != nil {
			v.addf(path+".min", "only for kind range")
		}
		if r.Max != nil {
			v.addf(path+".max", "only for kind range")
		}
	}
	if r.Kind != KindSet && r.Kind != "" && len(r.Values) > 0 {
		v.addf(path+".values", "only for kind set")
	}
	if r.Kind != KindBool && r.Kind != "" && r.Value != nil {
		v.addf(path+".value", "only for kind bool")
	}
}

func (v *validator) percent(path string, x float64) {
	if !(x >= 0 && x <= 100) {
		v.addf(path, "must be between 0 and 100, got %g", x)
	}
}

func (v *validator) positive(path string, x float64) {
	if !(x > 0) || math.IsInf(x, 0) {
		v.addf(path, "must be a number above 0, got %g", x)
	}
}

func (v *validator) engagement(e *EngagementModel) {
	if e.HalfLife <= 0 {
		v.addf("engagement.half_life", "must be above 0, e.g. 30d")
	}
	v.positive("engagement.half_score", e.HalfScore)
	if len(e.Types) == 0 {
		v.addf("engagement.types", "at least one interaction type is required")
	}
	seen := map[string]string{}
	for i := range e.Types {
		path := fmt.Sprintf("engagement.types[%d]", i)
		t := &e.Types[i]
		if t.Name == "" {
			v.addf(path+".name", "required")
		} else if prev, ok := seen[strings.ToLower(t.Name)]; ok {
			v.addf(path+".name", "duplicate type %q (also %s)", t.Name, prev)
		}
		seen[strings.ToLower(t.Name)] = path
		if len(t.Events) == 0 && len(t.Channels) == 0 && len(t.Properties) == 0 {
			v.addf(path, "needs events, channels or properties to match")
		}
		for k, vals := range t.Properties {
			if len(vals) == 0 {
				v.addf(path+".properties."+k, "needs at least one value")
			}
		}
		if !(t.Points >= 0) || math.IsInf(t.Points, 0) {
			v.addf(path+".points", "must be 0 or more, got %g", t.Points)
		}
		if t.DailyCap < 1 {
			v.addf(path+".daily_cap", "must be 1 or more, got %d", t.DailyCap)
		}
	}
}

func (v *validator) lifecycle(l *LifecycleModel) {
	if len(l.IdentifiedBy) == 0 {
		v.addf("lifecycle.identified_by", "at least one identity kind is required, e.g. [user_id, email, phone]")
	}
	for i, k := range l.IdentifiedBy {
		if !k.Valid() || k == rapport.IdentityAnonymousID {
			v.addf(fmt.Sprintf("lifecycle.identified_by[%d]", i), "unknown identity kind %q: want user_id, email, phone or group_id", k)
		}
	}
	if l.Loyal.MinOrders < 2 {
		v.addf("lifecycle.loyal.min_orders", "must be 2 or more, got %d", l.Loyal.MinOrders)
	}
	if l.Loyal.MinTenure < 0 {
		v.addf("lifecycle.loyal.min_tenure", "must not be negative")
	}
	if l.Loyal.MinProductLines < 0 {
		v.addf("lifecycle.loyal.min_product_lines", "must be 0 (not used) or more")
	}
	if len(l.Advocate.Events) == 0 {
		v.addf("lifecycle.advocate.events", "at least one event name is required, e.g. Referral Sent")
	}
	if l.Advocate.MinEvents < 1 {
		v.addf("lifecycle.advocate.min_events", "must be 1 or more, got %d", l.Advocate.MinEvents)
	}
	r := l.Rhythm
	if r.DefaultInterval <= 0 {
		v.addf("lifecycle.rhythm.default_interval", "must be above 0, e.g. 90d")
	}
	if r.MinInterval <= 0 {
		v.addf("lifecycle.rhythm.min_interval", "must be above 0, e.g. 7d")
	}
	v.positive("lifecycle.rhythm.at_risk_after", r.AtRiskAfter)
	v.positive("lifecycle.rhythm.lapsed_after", r.LapsedAfter)
	if r.LapsedAfter <= r.AtRiskAfter {
		v.addf("lifecycle.rhythm.lapsed_after", "must be above at_risk_after (%g <= %g)", r.LapsedAfter, r.AtRiskAfter)
	}
}

func (v *validator) priority(p *PriorityModel) {
	for _, w := range []struct {
		path string
		x    float64
	}{{"priority.fit", p.Fit}, {"priority.engagement", p.Engagement}, {"priority.lifecycle", p.Lifecycle}} {
		if !(w.x >= 0) || math.IsInf(w.x, 0) {
			v.addf(w.path, "must be 0 or more, got %g", w.x)
		}
	}
	if !(p.Fit+p.Engagement+p.Lifecycle > 0) {
		v.addf("priority", "fit, engagement and lifecycle weights must not all be 0")
	}
	for s, x := range p.Stages {
		if stageIndex(s) < 0 {
			v.addf("priority.stages."+string(s), "unknown stage %q: want one of %s", s, stageList())
			continue
		}
		v.percent("priority.stages."+string(s), x)
	}
	for _, s := range Stages {
		if _, ok := p.Stages[s]; !ok {
			v.addf("priority.stages", "missing a value for stage %s", s)
		}
	}
}

func (v *validator) rules(rules []Rule) {
	seen := map[string]string{}
	for i, r := range rules {
		path := fmt.Sprintf("rules[%d]", i)
		if r.Name == "" {
			v.addf(path+".name", "required")
		} else if prev, ok := seen[r.Name]; ok {
			v.addf(path+".name", "duplicate rule %q (also %s)", r.Name, prev)
		}
		seen[r.Name] = path
		v.condition(path+".when", r.When)
	}
}

func (v *validator) condition(path string, c Condition) {
	if len(c.Grades) == 0 && len(c.Stages) == 0 && c.MinFit == 0 && c.MinEngagement == 0 && c.MinPriority == 0 {
		v.addf(path, "empty condition: set grades, stages, min_fit, min_engagement or min_priority")
	}
	for i, g := range c.Grades {
		if g != "A" && g != "B" && g != "C" && g != "D" {
			v.addf(fmt.Sprintf("%s.grades[%d]", path, i), "unknown grade %q: want A, B, C or D", g)
		}
	}
	for i, s := range c.Stages {
		if stageIndex(s) < 0 {
			v.addf(fmt.Sprintf("%s.stages[%d]", path, i), "unknown stage %q: want one of %s", s, stageList())
		}
	}
	v.percent(path+".min_fit", c.MinFit)
	v.percent(path+".min_engagement", c.MinEngagement)
	v.percent(path+".min_priority", c.MinPriority)
}

// indexLines records the line of every field path in a YAML document:
// mapping keys as "a.b", sequence items as "a[2]".
func indexLines(n *yaml.Node, path string, lines map[string]int) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			indexLines(c, path, lines)
		}
	case yaml.MappingNode:
		if path != "" {
			lines[path] = n.Line
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i].Value
			if path != "" {
				key = path + "." + key
			}
			indexLines(n.Content[i+1], key, lines)
			lines[key] = n.Content[i].Line
		}
	case yaml.SequenceNode:
		lines[path] = n.Line
		for i, c := range n.Content {
			indexLines(c, path+"["+strconv.Itoa(i)+"]", lines)
		}
	default:
		lines[path] = n.Line
	}
}

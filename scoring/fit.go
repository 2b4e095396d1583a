package scoring

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/rapportdev/rapport"
)

// Fit is the fit dimension of a result: 0-100 and a grade A-D.
type Fit struct {
	Score float64 `json:"score"`
	Grade string  `json:"grade"`
}

// Dimensions named in explanations.
const (
	DimensionFit        = "fit"
	DimensionEngagement = "engagement"
	DimensionLifecycle  = "lifecycle"
	DimensionPriority   = "priority"
)

// Contribution is one line of an explanation: a rule of a dimension, the
// points it added to that dimension's score, and how.
type Contribution struct {
	Dimension string  `json:"dimension"`
	Rule      string  `json:"rule"`
	Points    float64 `json:"points"`
	Detail    string  `json:"detail,omitempty"`
}

// match outcomes of a fit rule.
const (
	outcomeUnknown = iota
	outcomeMiss
	outcomeMatch
)

// scoreFit scores traits against the fit rules and appends one
// contribution per rule when explain is set: its share of the score.
func scoreFit(c *compiled, traits map[string]any, expl []Contribution, explain bool) (Fit, []Contribution) {
	var total float64
	for i := range c.fit {
		r := &c.fit[i]
		pts, detail := r.unknown, r.unknownDetail
		switch r.evaluate(traits) {
		case outcomeMatch:
			pts, detail = r.points, r.matched
		case outcomeMiss:
			pts, detail = r.miss, r.missed
		}
		share := pts * r.weight
		total += share
		if !explain {
			continue
		}
		expl = append(expl, Contribution{Dimension: DimensionFit, Rule: r.label, Points: round1(share), Detail: detail})
	}
	score := round1(total)
	return Fit{Score: score, Grade: c.grade(score)}, expl
}

func (c *compiled) grade(score float64) string {
	switch {
	case score >= c.grades.A:
		return "A"
	case score >= c.grades.B:
		return "B"
	case score >= c.grades.C:
		return "C"
	}
	return "D"
}

// evaluate reads the rule's trait and says whether it matches.
func (r *fitRule) evaluate(traits map[string]any) int {
	v, ok := r.lookup(traits)
	if !ok {
		return outcomeUnknown
	}
	if list, isList := v.([]any); isList {
		out := outcomeUnknown
		for _, x := range list {
			out = max(out, r.evaluateOne(x))
		}
		return out
	}
	return r.evaluateOne(v)
}

func (r *fitRule) evaluateOne(v any) int {
	switch r.kind {
	case KindRange:
		x, ok := rapport.Number(v)
		if !ok {
			return outcomeUnknown
		}
		return outcome(x >= r.min && x <= r.max)
	case KindSet:
		s, ok := text(v)
		if !ok {
			return outcomeUnknown
		}
		return outcome(inSet(s, r.values))
	default:
		b, ok := boolean(v)
		if !ok {
			return outcomeUnknown
		}
		return outcome(b == r.want)
	}
}

func outcome(matched bool) int {
	if matched {
		return outcomeMatch
	}
	return outcomeMiss
}

// lookup returns the first present, non-empty value among the rule's
// paths.
func (r *fitRule) lookup(traits map[string]any) (any, bool) {
	for _, path := range r.paths {
		if v, ok := lookupPath(traits, path); ok {
			return v, true
		}
	}
	return nil, false
}

func lookupPath(traits map[string]any, path []string) (any, bool) {
	var v any = traits
	for _, key := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[key]; !ok {
			return nil, false
		}
	}
	switch x := v.(type) {
	case nil:
		return nil, false
	case string:
		return v, strings.TrimSpace(x) != ""
	case []any:
		return v, len(x) > 0
	}
	return v, true
}

// inSet reports whether s is among values, case-insensitively; a value
// ending in "*" matches any s it is a prefix of.
func inSet(s string, values []string) bool {
	s = strings.TrimSpace(s)
	for _, v := range values {
		if p, ok := strings.CutSuffix(v, "*"); ok {
			if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
				return true
			}
		} else if strings.EqualFold(s, v) {
			return true
		}
	}
	return false
}

// number reads a finite number: a JSON or Go number, or a string holding
// one.

// text reads a string, or a whole number as its digits (a postal code sent
// as 10115).
func text(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return strconv.FormatInt(int64(x), 10), true
		}
	case int:
		return strconv.Itoa(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}

// boolean reads true/false, yes/no, y/n, 1/0.
func boolean(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true", "yes", "y", "1":
			return true, true
		case "false", "no", "n", "0":
			return false, true
		}
	default:
		if f, ok := rapport.Number(v); ok && (f == 0 || f == 1) {
			return f == 1, true
		}
	}
	return false, false
}

// round1 rounds to one decimal, the precision results are shown and
// compared at.
func round1(x float64) float64 { return math.Round(x*10) / 10 }

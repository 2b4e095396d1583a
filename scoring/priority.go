package scoring

import (
	"cmp"
	"slices"
	"time"
)

// Result is the 3D score of a profile with its explanation.
type Result struct {
	Fit        Fit        `json:"fit"`
	Engagement Engagement `json:"engagement"`
	Lifecycle  Lifecycle  `json:"lifecycle"`
	// Priority combines the three, 0-100: who deserves attention first.
	Priority float64 `json:"priority"`
	// Explanation lists every rule that contributed: fit rules, engagement
	// types with the decay applied, the lifecycle stage and why, and the
	// three terms of the priority.
	Explanation []Contribution `json:"explanation"`
	// Version is the model version that produced the result.
	Version int `json:"version"`
	// At is the time the result is valid for.
	At time.Time `json:"at"`
}

// priority appends the lifecycle line (the stage's value and why it is
// the stage) to the explanation, then combines the dimensions by the
// model's weights and appends the three terms; without explain it only
// combines.
func priority(c *compiled, r *Result, reason string, explain bool) {
	stageValue := 0.0
	if i := stageIndex(r.Lifecycle.Stage); i >= 0 {
		stageValue = c.stageValue[i]
	}
	terms := [3]float64{
		c.weightFit * r.Fit.Score,
		c.weightEngagement * r.Engagement.Score,
		c.weightLifecycle * stageValue,
	}
	r.Priority = round1(terms[0] + terms[1] + terms[2])
	if !explain {
		return
	}
	r.Explanation = append(r.Explanation, Contribution{Dimension: DimensionLifecycle,
		Rule: string(r.Lifecycle.Stage), Points: stageValue, Detail: reason})
	details := [3]string{gradeDetail[r.Fit.Grade], "", string(r.Lifecycle.Stage)}
	for i, t := range terms {
		r.Explanation = append(r.Explanation, Contribution{Dimension: DimensionPriority,
			Rule: c.priorityLabels[i], Points: round1(t), Detail: details[i]})
	}
}

var gradeDetail = map[string]string{"A": "grade A", "B": "grade B", "C": "grade C", "D": "grade D"}

// Less reports whether a ranks before b: higher priority first, then
// higher fit, then higher engagement.
func Less(a, b Result) bool { return compareResults(a, b) < 0 }

func compareResults(a, b Result) int {
	if c := cmp.Compare(b.Priority, a.Priority); c != 0 {
		return c
	}
	if c := cmp.Compare(b.Fit.Score, a.Fit.Score); c != 0 {
		return c
	}
	return cmp.Compare(b.Engagement.Score, a.Engagement.Score)
}

// Lead is a profile's result as GET /api/v1/leads lists it.
type Lead struct {
	ProfileID string `json:"profileId"`
	Result
}

// Rank sorts leads in place, best first (see Less); ties keep their order
// by profile id, so a ranking is stable across calls.
func Rank(leads []Lead) {
	slices.SortFunc(leads, func(a, b Lead) int {
		if c := compareResults(a.Result, b.Result); c != 0 {
			return c
		}
		return cmp.Compare(a.ProfileID, b.ProfileID)
	})
}

// LeadFilter selects leads: a grade among Grades, a stage among Stages
// (an empty list does not constrain) and at least MinEngagement.
type LeadFilter struct {
	Grades        []string `json:"grades,omitempty"`
	Stages        []Stage  `json:"stages,omitempty"`
	MinEngagement float64  `json:"minEngagement,omitempty"`
}

// Match reports whether r passes the filter.
func (f LeadFilter) Match(r Result) bool {
	return (len(f.Grades) == 0 || slices.Contains(f.Grades, r.Fit.Grade)) &&
		(len(f.Stages) == 0 || slices.Contains(f.Stages, r.Lifecycle.Stage)) &&
		r.Engagement.Score >= f.MinEngagement
}

package scoring

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// compiled is a validated model in the form Score reads without maps or
// allocations: trait paths split, weights normalised, the static parts of
// explanations written once.
type compiled struct {
	version int
	fit     []fitRule
	grades  Grades

	halfLife  float64 // nanoseconds
	halfScore float64
	types     []interactionType
	halfDesc  string

	identifiedMask  uint8 // Subject.Kinds bits of the kinds that make a lead
	loyal           LoyalRule
	advocacy        []string
	minAdvocacy     int64
	defaultInterval time.Duration
	minInterval     time.Duration
	atRiskAfter     float64
	lapsedAfter     float64

	weightFit, weightEngagement, weightLifecycle float64 // sum to 1
	stageValue                                   [8]float64
	priorityLabels                               [3]string

	rules []Rule
}

type fitRule struct {
	label    string
	paths    [][]string
	kind     string
	min, max float64
	values   []string
	want     bool

	points, miss, unknown float64
	weight                float64 // share of the fit score, sums to 1 over rules

	matched, missed, unknownDetail string
}

type interactionType struct {
	name       string
	events     []string
	channels   []string
	properties []propertyMatch
	points     float64
	dailyCap   uint32
}

type propertyMatch struct {
	key    string
	values []string
}

func compile(m *Model) *compiled {
	c := &compiled{
		version:   m.Version,
		grades:    m.Fit.Grades,
		halfLife:  float64(m.Engagement.HalfLife),
		halfScore: m.Engagement.HalfScore,
		halfDesc:  "half-life " + m.Engagement.HalfLife.String(),

		loyal:           m.Lifecycle.Loyal,
		advocacy:        m.Lifecycle.Advocate.Events,
		minAdvocacy:     m.Lifecycle.Advocate.MinEvents,
		defaultInterval: m.Lifecycle.Rhythm.DefaultInterval.Std(),
		minInterval:     m.Lifecycle.Rhythm.MinInterval.Std(),
		atRiskAfter:     m.Lifecycle.Rhythm.AtRiskAfter,
		lapsedAfter:     m.Lifecycle.Rhythm.LapsedAfter,
		rules:           m.Rules,
	}
	var total float64
	for _, r := range m.Fit.Rules {
		total += r.Weight
	}
	for _, r := range m.Fit.Rules {
		c.fit = append(c.fit, compileFitRule(r, total))
	}
	for _, k := range m.Lifecycle.IdentifiedBy {
		c.identifiedMask |= KindBit(k)
	}
	for _, t := range m.Engagement.Types {
		c.types = append(c.types, compileType(t))
	}
	c.priority(m.Priority)
	return c
}

func (c *compiled) priority(p PriorityModel) {
	sum := p.Fit + p.Engagement + p.Lifecycle
	c.weightFit, c.weightEngagement, c.weightLifecycle = p.Fit/sum, p.Engagement/sum, p.Lifecycle/sum
	for i, s := range Stages {
		c.stageValue[i] = p.Stages[s]
	}
	c.priorityLabels = [3]string{
		"fit × " + fmtShare(c.weightFit),
		"engagement × " + fmtShare(c.weightEngagement),
		"stage value × " + fmtShare(c.weightLifecycle),
	}
}

func fmtShare(x float64) string { return strconv.FormatFloat(math.Round(x*1000)/1000, 'f', -1, 64) }

func compileFitRule(r FitRule, totalWeight float64) fitRule {
	f := fitRule{
		label: r.label(), kind: r.Kind, min: math.Inf(-1), max: math.Inf(1), want: true,
		points: r.Points, miss: r.MissPoints, unknown: r.UnknownPoints,
		weight: r.Weight / totalWeight,
	}
	for _, key := range append([]string{r.Trait}, r.Aliases...) {
		f.paths = append(f.paths, []string{key})
		if strings.Contains(key, ".") {
			f.paths = append(f.paths, strings.Split(key, "."))
		}
	}
	if r.Min != nil {
		f.min = *r.Min
	}
	if r.Max != nil {
		f.max = *r.Max
	}
	if r.Value != nil {
		f.want = *r.Value
	}
	f.values = r.Values
	cond := r.describe()
	f.matched, f.missed, f.unknownDetail = cond, "not "+cond, "unknown"
	return f
}

// label names the rule in explanations.
func (r FitRule) label() string {
	if r.Name != "" {
		return r.Name
	}
	return r.Trait
}

// describe writes the rule's condition: "25–54", "in {married, partner}",
// "true".
func (r FitRule) describe() string {
	num := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	switch {
	case r.Kind == KindRange && r.Min != nil && r.Max != nil:
		return "in " + num(*r.Min) + "–" + num(*r.Max)
	case r.Kind == KindRange && r.Min != nil:
		return "≥ " + num(*r.Min)
	case r.Kind == KindRange && r.Max != nil:
		return "≤ " + num(*r.Max)
	case r.Kind == KindSet:
		return "in {" + strings.Join(r.Values, ", ") + "}"
	case r.Value != nil && !*r.Value:
		return "false"
	}
	return "true"
}

func compileType(t InteractionType) interactionType {
	it := interactionType{
		name: t.Name, events: t.Events, channels: t.Channels,
		points: t.Points, dailyCap: uint32(min(t.DailyCap, math.MaxUint32)),
	}
	keys := make([]string, 0, len(t.Properties))
	for k := range t.Properties {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		it.properties = append(it.properties, propertyMatch{key: k, values: t.Properties[k]})
	}
	return it
}

// compiled returns the form cached by Validate, or compiles one for this
// call when m was never validated.
func (m *Model) compiled() *compiled {
	if m.c != nil {
		return m.c
	}
	return compile(m)
}

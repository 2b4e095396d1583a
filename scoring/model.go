package scoring

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/rapportdev/rapport"
	"gopkg.in/yaml.v3"
)

// Model says how to score: the rules of fit, the interactions of
// engagement, the thresholds of the lifecycle stages, how the three combine
// into a priority, and the named rules whose becoming true the caller
// announces. It is the `scoring` section of rapport.yaml.
//
// Validate compiles the model into the form Score uses and caches it: change
// a Model only before validating it, and treat it as read-only after.
type Model struct {
	// Version increases with every change of the model; results and states
	// record the version that produced them. A server numbers the
	// versions it stores itself (WithVersion), so a declaration may leave
	// it out.
	Version int `yaml:"version,omitempty" json:"version"`
	// Name describes the model, e.g. "B2C shop".
	Name       string          `yaml:"name,omitempty" json:"name,omitempty"`
	Fit        FitModel        `yaml:"fit" json:"fit"`
	Engagement EngagementModel `yaml:"engagement" json:"engagement"`
	Lifecycle  LifecycleModel  `yaml:"lifecycle" json:"lifecycle"`
	Priority   PriorityModel   `yaml:"priority" json:"priority"`
	Rules      []Rule          `yaml:"rules,omitempty" json:"rules,omitempty"`

	lines map[string]int // field path -> line in the YAML it was read from
	c     *compiled      // set by Validate
}

// FitModel scores who a person is against the ideal customer profile: a
// weighted mean of the points of every rule, 0-100, and a grade.
type FitModel struct {
	Rules  []FitRule `yaml:"rules" json:"rules"`
	Grades Grades    `yaml:"grades" json:"grades"`
}

// Kinds of fit rule.
const (
	KindRange = "range" // a number between min and max, both inclusive, either optional
	KindSet   = "set"   // a value among values (case-insensitive; "x*" matches a prefix); a list matches if any element does
	KindBool  = "bool"  // a yes/no trait equal to value (true when value is not given)
)

// FitRule is one condition on a trait. A rule scores Points (0-100) when
// the trait matches, MissPoints when it is known and does not, and
// UnknownPoints when the profile does not have it (or has it in a shape
// the rule cannot read): an unknown trait is not a bad fit. The fit score
// is the mean of the rules' points weighted by Weight.
type FitRule struct {
	// Name labels the rule in explanations; the trait when empty.
	Name string `yaml:"name,omitempty" json:"name,omitempty"`
	// Trait is the trait's key; a dotted path reads nested objects
	// ("company.employees", "address.postal_code").
	Trait string `yaml:"trait" json:"trait"`
	// Aliases are other keys read, in order, when Trait is absent (a
	// person's "company.employees" is an account's "employees").
	Aliases []string `yaml:"aliases,omitempty" json:"aliases,omitempty"`
	Kind    string   `yaml:"kind" json:"kind"`
	Min     *float64 `yaml:"min,omitempty" json:"min,omitempty"`
	Max     *float64 `yaml:"max,omitempty" json:"max,omitempty"`
	Values  []string `yaml:"values,omitempty" json:"values,omitempty"`
	Value   *bool    `yaml:"value,omitempty" json:"value,omitempty"`

	Points        float64 `yaml:"points" json:"points"`
	MissPoints    float64 `yaml:"miss_points,omitempty" json:"missPoints,omitempty"`
	UnknownPoints float64 `yaml:"unknown_points" json:"unknownPoints"`
	Weight        float64 `yaml:"weight" json:"weight"`
}

// Grades are the lowest fit scores of grades A, B and C; below C is D.
type Grades struct {
	A float64 `yaml:"a" json:"a"`
	B float64 `yaml:"b" json:"b"`
	C float64 `yaml:"c" json:"c"`
}

// EngagementModel scores how a person interacts. Each event is matched to
// the first interaction type it fits and earns that type's points, unless
// the type's daily cap is reached. Points decay by half every HalfLife from
// the event's own time. The decayed sum P becomes a score that saturates:
// score = 100 × (1 − 2^(−P / HalfScore)), so HalfScore points give 50,
// twice as many 75, three times 87.5.
type EngagementModel struct {
	HalfLife  Duration          `yaml:"half_life" json:"halfLife"`
	HalfScore float64           `yaml:"half_score" json:"halfScore"`
	Types     []InteractionType `yaml:"types" json:"types"`
}

// InteractionType is one kind of interaction and what it is worth. An
// event is of this type when its name is among Events (a track call's
// event name, or "page", "screen", "identify", "group" for the other calls),
// its context.channel among Channels, and every property in Properties has
// one of the listed values; an empty list does not constrain. Names,
// channels and values compare case-insensitively.
type InteractionType struct {
	Name       string              `yaml:"name" json:"name"`
	Events     []string            `yaml:"events,omitempty" json:"events,omitempty"`
	Channels   []string            `yaml:"channels,omitempty" json:"channels,omitempty"`
	Properties map[string][]string `yaml:"properties,omitempty" json:"properties,omitempty"`
	// Points is what one interaction is worth before decay: the more
	// personal the channel, the more.
	Points float64 `yaml:"points" json:"points"`
	// DailyCap is how many interactions of this type count per UTC day;
	// the rest are counted as capped and earn nothing.
	DailyCap int `yaml:"daily_cap" json:"dailyCap"`
}

// LifecycleModel holds the thresholds of the stage machine.
type LifecycleModel struct {
	// IdentifiedBy lists the identity kinds that make a prospect a lead.
	IdentifiedBy []rapport.IdentityKind `yaml:"identified_by" json:"identifiedBy"`
	Loyal        LoyalRule              `yaml:"loyal" json:"loyal"`
	Advocate     AdvocateRule           `yaml:"advocate" json:"advocate"`
	Rhythm       RhythmRule             `yaml:"rhythm" json:"rhythm"`
}

// LoyalRule says when a repeat customer is loyal: at least MinOrders orders
// spread over at least MinTenure (first to latest order), or orders in at
// least MinProductLines product categories.
type LoyalRule struct {
	MinOrders       int64    `yaml:"min_orders" json:"minOrders"`
	MinTenure       Duration `yaml:"min_tenure" json:"minTenure"`
	MinProductLines int      `yaml:"min_product_lines" json:"minProductLines"`
}

// AdvocateRule says when a loyal customer is an advocate: at least
// MinEvents events named in Events (referrals, reviews, shares).
type AdvocateRule struct {
	Events    []string `yaml:"events" json:"events"`
	MinEvents int64    `yaml:"min_events" json:"minEvents"`
}

// RhythmRule says when a customer is at risk or lapsed: when the time since
// their latest order exceeds AtRiskAfter (LapsedAfter) times their usual
// interval between orders. The usual interval is the mean gap between their
// orders, at least MinInterval, or DefaultInterval with a single order.
type RhythmRule struct {
	DefaultInterval Duration `yaml:"default_interval" json:"defaultInterval"`
	MinInterval     Duration `yaml:"min_interval" json:"minInterval"`
	AtRiskAfter     float64  `yaml:"at_risk_after" json:"atRiskAfter"`
	LapsedAfter     float64  `yaml:"lapsed_after" json:"lapsedAfter"`
}

// PriorityModel says how the three dimensions combine: priority =
// (Fit × fit score + Engagement × engagement score + Lifecycle × the
// stage's value) / (Fit + Engagement + Lifecycle), 0-100.
type PriorityModel struct {
	Fit        float64 `yaml:"fit" json:"fit"`
	Engagement float64 `yaml:"engagement" json:"engagement"`
	Lifecycle  float64 `yaml:"lifecycle" json:"lifecycle"`
	// Stages gives every stage its value, 0-100.
	Stages map[Stage]float64 `yaml:"stages" json:"stages"`
}

// Rule names a condition on the result, e.g. "sales-ready" when the grade
// is A and engagement is at least 70. Score reports a rule when it becomes
// true, not again while it stays true.
type Rule struct {
	Name string    `yaml:"name" json:"name"`
	When Condition `yaml:"when" json:"when"`
}

// Condition holds when all of its parts hold; a part left empty or zero
// does not constrain.
type Condition struct {
	Grades        []string `yaml:"grades,omitempty" json:"grades,omitempty"`
	Stages        []Stage  `yaml:"stages,omitempty" json:"stages,omitempty"`
	MinFit        float64  `yaml:"min_fit,omitempty" json:"minFit,omitempty"`
	MinEngagement float64  `yaml:"min_engagement,omitempty" json:"minEngagement,omitempty"`
	MinPriority   float64  `yaml:"min_priority,omitempty" json:"minPriority,omitempty"`
}

// ParseModel reads a model from YAML, refusing unknown fields, and
// validates it. Errors are rapport errors with code EINVALID; validation
// errors name every problem's field path and line.
func ParseModel(data []byte) (*Model, error) {
	var m Model
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		if errors.Is(err, io.EOF) {
			err = errors.New("empty document")
		}
		return nil, fmt.Errorf("parse scoring model: %w", rapport.Errorf(rapport.EINVALID, "%s", err))
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("parse scoring model: %w", rapport.Errorf(rapport.EINVALID, "%s", err))
	}
	m.lines = map[string]int{}
	indexLines(&root, "", m.lines)
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return &m, nil
}

// WithVersion returns a validated copy of m numbered v: the version the
// store gave it.
func (m *Model) WithVersion(v int) (*Model, error) {
	c := *m
	c.Version, c.c = v, nil
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// ParseModelJSONOrYAML reads a model sent as JSON (the shape GET
// /api/v1/scoring/model shows) or as YAML, and returns it with its YAML
// text: the form models are stored in.
func ParseModelJSONOrYAML(data []byte) (*Model, []byte, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		m, err := ParseModel(data)
		return m, data, err
	}
	var m Model
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, nil, fmt.Errorf("parse scoring model: %w", rapport.Errorf(rapport.EINVALID, "%s", err))
	}
	if err := m.Validate(); err != nil {
		return nil, nil, err
	}
	y, err := yaml.Marshal(&m)
	if err != nil {
		return nil, nil, fmt.Errorf("encode scoring model: %w", err)
	}
	// Read back from YAML, so the stored text is known to load.
	back, err := ParseModel(y)
	if err != nil {
		return nil, nil, fmt.Errorf("scoring model as YAML: %w", err)
	}
	return back, y, nil
}

package scoring_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/scoring"
)

func TestValidateNamesFieldAndLine(t *testing.T) {
	tests := []struct {
		file string
		want []string // every problem, in order
	}{
		{"bad_fit.yaml", []string{
			"fit.rules[0].max: below min (20 < 30) (line 8)",
			"fit.rules[0].unknown_points: must be between 0 and 100, got 150 (line 10)",
			"fit.rules[0].weight: must be a number above 0 (line 11)",
			`fit.rules[2].kind: unknown kind "boolean": want range, set or bool (line 22)`,
			"fit.grades.b: above a (80 > 75) (line 26)",
		}},
		{"bad_engagement.yaml", []string{
			"engagement.half_life: must be above 0, e.g. 30d (line 28)",
			"engagement.half_score: must be a number above 0, got -1 (line 29)",
			"engagement.types[1].daily_cap: must be 1 or more, got 0 (line 39)",
			`engagement.types[3].name: duplicate type "visit" (also engagement.types[1]) (line 45)`,
			"engagement.types[3]: needs events, channels or properties to match (line 45)",
		}},
		{"bad_lifecycle.yaml", []string{
			`lifecycle.identified_by[1]: unknown identity kind "anonymous_id": want user_id, email, phone or group_id (line 50)`,
			"lifecycle.loyal.min_orders: must be 2 or more, got 1 (line 51)",
			"lifecycle.rhythm.lapsed_after: must be above at_risk_after (2 <= 3) (line 53)",
		}},
		{"bad_priority_rules.yaml", []string{
			"priority.stages.lead: must be between 0 and 100, got 120 (line 58)",
			`priority.stages.fan: unknown stage "fan": want one of prospect, lead, new_customer, repeat_customer, loyal_customer, advocate, at_risk, lapsed (line 58)`,
			"priority.stages: missing a value for stage advocate (line 58)",
			"rules[0].when: empty condition: set grades, stages, min_fit, min_engagement or min_priority (line 61)",
			`rules[1].when.grades[0]: unknown grade "E": want A, B, C or D (line 63)`,
			`rules[1].when.stages[0]: unknown stage "leads": want one of prospect, lead, new_customer, repeat_customer, loyal_customer, advocate, at_risk, lapsed (line 63)`,
		}},
		{"unknown_field.yaml", []string{"line 25: field wieght not found in type scoring.FitRule"}},
		{"bad_duration.yaml", []string{`line 28: duration "10 days": want e.g. 30d, 2w or 12h`}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, err := os.ReadFile("testdata/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			_, err = scoring.ParseModel(b)
			if err == nil {
				t.Fatal("ParseModel: no error, want one")
			}
			if code := rapport.ErrorCode(err); code != rapport.EINVALID {
				t.Errorf("error code %q, want %q", code, rapport.EINVALID)
			}
			msg := err.Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error lacks %q; got:\n%s", w, msg)
				}
			}
			var ve *scoring.ValidationError
			if errors.As(err, &ve) && len(ve.Problems) != len(tt.want) {
				t.Errorf("%d problems, want %d:\n%s", len(ve.Problems), len(tt.want), msg)
			}
		})
	}
}

func TestTemplatesValidate(t *testing.T) {
	for _, name := range []string{"b2c", "b2b"} {
		b, err := scoring.TemplateYAML(name)
		if err != nil {
			t.Fatal(err)
		}
		m, err := scoring.ParseModel(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if m.Version < 1 || len(m.Fit.Rules) < 6 || len(m.Engagement.Types) < 8 {
			t.Errorf("%s: version %d, %d fit rules, %d interaction types; want a full model",
				name, m.Version, len(m.Fit.Rules), len(m.Engagement.Types))
		}
	}
	if _, err := scoring.TemplateYAML("b2x"); err == nil {
		t.Error("TemplateYAML(b2x): no error, want one")
	}
	a, b := scoring.B2C(), scoring.B2C()
	a.Fit.Rules[0].Points = 1
	if b.Fit.Rules[0].Points == 1 {
		t.Error("B2C returns a shared model, want a fresh copy")
	}
}

func TestValidateBuiltInGo(t *testing.T) {
	m := scoring.B2B()
	m.Priority.Fit, m.Priority.Engagement, m.Priority.Lifecycle = 0, 0, 0
	m.Fit.Rules = append(m.Fit.Rules, scoring.FitRule{Trait: "x", Kind: scoring.KindRange, Weight: 1})
	err := m.Validate()
	want := []string{
		"fit.rules[6]: a range rule needs min, max or both (line ", // a new rule has no line: its parent's is used
		"priority: fit, engagement and lifecycle weights must not all be 0 (line ",
	}
	for _, w := range want {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("Validate() = %v, want it to say %q", err, w)
		}
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"30d", "30d", true}, {"2w", "2w", true}, {"1.5d", "36h0m0s", true}, {"12h", "12h0m0s", true},
		{"14d", "2w", true}, {"d", "", false}, {"ten days", "", false}, {"", "", false},
	}
	for _, tt := range tests {
		d, err := scoring.ParseDuration(tt.in)
		if (err == nil) != tt.ok || (tt.ok && d.String() != tt.want) {
			t.Errorf("ParseDuration(%q) = %v, %v; want %q, ok %v", tt.in, d, err, tt.want, tt.ok)
		}
	}
}

package scoring_test

import (
	"testing"

	"github.com/rapportdev/rapport/scoring"
)

func result(priority, fit, engagement float64, grade string, stage scoring.Stage) scoring.Result {
	return scoring.Result{Priority: priority, Fit: scoring.Fit{Score: fit, Grade: grade},
		Engagement: scoring.Engagement{Score: engagement}, Lifecycle: scoring.Lifecycle{Stage: stage}}
}

func TestPriority(t *testing.T) {
	m := small(t) // fit 1, engagement 1, lifecycle 2: a quarter, a quarter, a half
	p := person(map[string]any{"age": 40, "zip": "75001", "homeowner": true}, "email:a@example.com")
	var st scoring.State
	r, _ := scoring.Score(m, p, &st, track(p, "Store Visited", now), now)
	// fit 100, engagement 50, lead 20: 25 + 12.5 + 10
	if r.Priority != 47.5 {
		t.Errorf("priority = %v, want 47.5", r.Priority)
	}
	var sum float64
	for _, c := range r.Explanation {
		if c.Dimension == scoring.DimensionPriority {
			sum += c.Points
		}
	}
	if sum != r.Priority {
		t.Errorf("priority terms sum to %v, want %v", sum, r.Priority)
	}
}

func TestLess(t *testing.T) {
	tests := []struct {
		name string
		a, b scoring.Result
		want bool
	}{
		{"higher priority first", result(60, 10, 10, "D", ""), result(50, 90, 90, "A", ""), true},
		{"lower priority after", result(50, 90, 90, "A", ""), result(60, 10, 10, "D", ""), false},
		{"same priority: higher fit", result(50, 80, 10, "A", ""), result(50, 70, 90, "B", ""), true},
		{"same priority and fit: higher engagement", result(50, 80, 20, "A", ""), result(50, 80, 10, "A", ""), true},
		{"equal", result(50, 80, 20, "A", ""), result(50, 80, 20, "A", ""), false},
	}
	for _, tt := range tests {
		if got := scoring.Less(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: Less = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestRank(t *testing.T) {
	leads := []scoring.Lead{
		{ProfileID: "c", Result: result(40, 50, 50, "C", scoring.StageLead)},
		{ProfileID: "b", Result: result(70, 50, 50, "B", scoring.StageLoyal)},
		{ProfileID: "a", Result: result(40, 50, 50, "C", scoring.StageLead)},
		{ProfileID: "d", Result: result(90, 50, 50, "A", scoring.StageAtRisk)},
	}
	scoring.Rank(leads)
	var ids []string
	for _, l := range leads {
		ids = append(ids, l.ProfileID)
	}
	if want := []string{"d", "b", "a", "c"}; !equal(ids, want) {
		t.Errorf("ranked %q, want %q", ids, want)
	}
}

func TestLeadFilter(t *testing.T) {
	r := result(70, 80, 45, "A", scoring.StageLead)
	tests := []struct {
		name string
		f    scoring.LeadFilter
		want bool
	}{
		{"empty filter", scoring.LeadFilter{}, true},
		{"grade in set", scoring.LeadFilter{Grades: []string{"A", "B"}}, true},
		{"grade not in set", scoring.LeadFilter{Grades: []string{"B"}}, false},
		{"stage in set", scoring.LeadFilter{Stages: []scoring.Stage{scoring.StageLead}}, true},
		{"stage not in set", scoring.LeadFilter{Stages: []scoring.Stage{scoring.StageLoyal}}, false},
		{"engagement at the minimum", scoring.LeadFilter{MinEngagement: 45}, true},
		{"engagement below the minimum", scoring.LeadFilter{MinEngagement: 45.1}, false},
	}
	for _, tt := range tests {
		if got := tt.f.Match(r); got != tt.want {
			t.Errorf("%s: Match = %v, want %v", tt.name, got, tt.want)
		}
	}
}

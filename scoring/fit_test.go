package scoring_test

import (
	"encoding/json"
	"testing"

	"github.com/rapportdev/rapport/scoring"
)

func TestFit(t *testing.T) {
	m := small(t)
	// Weights 1, 1, 2: age and postal give a quarter of their points,
	// homeowner half.
	tests := []struct {
		name   string
		traits map[string]any
		score  float64
		grade  string
		detail []string // per rule: age, postal, homeowner
	}{
		{"all match", map[string]any{"age": 40, "address": map[string]any{"postal_code": "75011"}, "homeowner": true},
			100, "A", []string{"in 30–50", "in {75*, 10115}", "true"}},
		{"all unknown", nil, 50, "B", []string{"unknown", "unknown", "unknown"}},
		{"range bounds are inclusive", map[string]any{"age": 30.0, "zip": 10115, "homeowner": "yes"},
			100, "A", []string{"in 30–50", "in {75*, 10115}", "true"}},
		{"misses score miss points", map[string]any{"age": 51, "zip": "20001", "homeowner": false},
			2.5, "D", []string{"not in 30–50", "not in {75*, 10115}", "not true"}},
		{"unreadable and empty are unknown", map[string]any{"age": "old", "zip": "  ", "homeowner": "maybe"},
			50, "B", []string{"unknown", "unknown", "unknown"}},
		{"numeric strings and json numbers", map[string]any{"age": json.Number("33"), "zip": "75", "homeowner": 1},
			100, "A", []string{"in 30–50", "in {75*, 10115}", "true"}},
		{"a list matches if any element does", map[string]any{"zip": []any{"20001", "75002"}},
			62.5, "B", []string{"unknown", "in {75*, 10115}", "unknown"}},
		{"a flat dotted key is read too", map[string]any{"address.postal_code": "10115", "age": 20},
			50, "B", []string{"not in 30–50", "in {75*, 10115}", "unknown"}},
		{"a number reads as its digits", map[string]any{"zip": 10115.0}, 62.5, "B", nil},
		{"grade C", map[string]any{"age": 20, "zip": "1"}, 27.5, "C", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var st scoring.State
			r, _ := scoring.Rescore(m, person(tt.traits), &st, now)
			if r.Fit.Score != tt.score || r.Fit.Grade != tt.grade {
				t.Errorf("fit = %v %s, want %v %s", r.Fit.Score, r.Fit.Grade, tt.score, tt.grade)
			}
			var sum float64
			var details []string
			for _, c := range r.Explanation {
				if c.Dimension == scoring.DimensionFit {
					sum += c.Points
					details = append(details, c.Detail)
				}
			}
			if !near(sum, tt.score) {
				t.Errorf("fit explanation sums to %v, want %v", sum, tt.score)
			}
			if tt.detail != nil && !equal(details, tt.detail) {
				t.Errorf("details = %q, want %q", details, tt.detail)
			}
		})
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

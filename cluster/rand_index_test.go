package cluster

import (
	"math"
	"testing"
)

func TestAdjustedRand(t *testing.T) {
	// The values are scikit-learn 1.2.1's adjusted_rand_score.
	tests := []struct {
		name string
		a, b []int
		want float64
	}{
		{"identical", []int{0, 0, 1, 1}, []int{0, 0, 1, 1}, 1},
		{"renamed", []int{0, 0, 1, 1}, []int{5, 5, -2, -2}, 1},
		{"one split", []int{0, 0, 1, 2}, []int{0, 0, 1, 1}, 4.0 / 7},
		{"split the other way", []int{0, 0, 1, 1}, []int{0, 0, 1, 2}, 4.0 / 7},
		{"all against each alone", []int{0, 0, 0, 0}, []int{0, 1, 2, 3}, 0},
		{"crossed", []int{0, 0, 1, 1}, []int{0, 1, 0, 1}, -0.5},
		{"textbook six", []int{0, 0, 0, 1, 1, 1}, []int{0, 0, 1, 1, 2, 2}, 0.24242424242424243},
		{"both one cluster", []int{3, 3, 3}, []int{1, 1, 1}, 1},
		{"empty", nil, nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := AdjustedRand(tt.a, tt.b)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("ARI %v, want %v", got, tt.want)
			}
		})
	}
	if _, err := AdjustedRand([]int{0}, []int{0, 1}); err == nil {
		t.Error("different lengths: no error")
	}
}

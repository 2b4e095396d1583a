package cluster

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestScaler(t *testing.T) {
	tests := []struct {
		name     string
		x        Matrix
		mean     []float64
		std      []float64
		standard []float64
	}{
		{"two columns", Matrix{Rows: 2, Cols: 2, Data: []float64{1, 10, 3, 30}},
			[]float64{2, 20}, []float64{1, 10}, []float64{-1, -1, 1, 1}},
		{"constant column is centred, not NaN", Matrix{Rows: 3, Cols: 2, Data: []float64{5, 1, 5, 2, 5, 3}},
			[]float64{5, 2}, []float64{0, math.Sqrt(2.0 / 3)}, []float64{0, -math.Sqrt(1.5), 0, 0, 0, math.Sqrt(1.5)}},
		{"one row", Matrix{Rows: 1, Cols: 3, Data: []float64{4, -1, 0}},
			[]float64{4, -1, 0}, []float64{0, 0, 0}, []float64{0, 0, 0}},
		{"constant column of an inexact value", Matrix{Rows: 1000, Cols: 1, Data: slices.Repeat([]float64{0.1}, 1000)},
			[]float64{0.1}, []float64{0}, make([]float64, 1000)},
		{"large offset, small spread", Matrix{Rows: 2, Cols: 1, Data: []float64{1e12 + 1, 1e12 + 3}},
			[]float64{1e12 + 2}, []float64{1}, []float64{-1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := FitScaler(tt.x)
			if err != nil {
				t.Fatal(err)
			}
			if !near(s.Mean, tt.mean) || !near(s.Std, tt.std) {
				t.Errorf("mean %v std %v, want %v %v", s.Mean, s.Std, tt.mean, tt.std)
			}
			z, err := s.Transform(tt.x)
			if err != nil {
				t.Fatal(err)
			}
			if !near(z.Data, tt.standard) {
				t.Errorf("standardised %v, want %v", z.Data, tt.standard)
			}
			// A new point goes through the same map, and back.
			p, err := s.Point(tt.x.Row(0))
			if err != nil || !near(p, z.Row(0)) {
				t.Errorf("Point = %v, %v; want %v", p, err, z.Row(0))
			}
			back, err := s.Inverse(p)
			if err != nil || !near(back, tt.x.Row(0)) {
				t.Errorf("Inverse = %v, %v; want %v", back, err, tt.x.Row(0))
			}
		})
	}
}

func TestScalerErrors(t *testing.T) {
	if _, err := FitScaler(Matrix{Cols: 2}); err == nil || !strings.Contains(err.Error(), "no rows") {
		t.Errorf("no rows: error %v", err)
	}
	if _, err := FitScaler(Matrix{Rows: 1, Cols: 1, Data: []float64{math.Inf(1)}}); err == nil {
		t.Error("infinite value: no error")
	}
	s := Scaler{Mean: []float64{0}, Std: []float64{1}}
	if _, err := s.Point([]float64{1, 2}); err == nil {
		t.Error("point of the wrong length: no error")
	}
	if err := s.TransformInPlace(Matrix{Rows: 1, Cols: 2, Data: []float64{1, 2}}); err == nil {
		t.Error("matrix of the wrong width: no error")
	}
}

// near reports whether a and b agree to 1e-12 relative.
func near(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool {
		return math.Abs(x-y) <= 1e-12*max(1, math.Abs(y))
	})
}

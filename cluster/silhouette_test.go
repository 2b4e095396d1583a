package cluster

import (
	"math"
	"strings"
	"testing"
)

func TestSilhouetteHandComputed(t *testing.T) {
	tests := []struct {
		name   string
		x      Matrix
		labels []int
		want   float64
	}{
		// Points 0, 1 | 4, 5: a = 1 for all; b = 4.5 at the ends, 3.5 in the
		// middle; s = 7/9 and 5/7, mean 47/63.
		{"two pairs on a line", Matrix{Rows: 4, Cols: 1, Data: []float64{0, 1, 4, 5}}, []int{0, 0, 1, 1}, 47.0 / 63},
		// A singleton scores 0; the pair 0, 2: a = 2, b = 10 and 8, so
		// s = 4/5 and 3/4; mean (0.8 + 0.75 + 0) / 3.
		{"singleton cluster", Matrix{Rows: 3, Cols: 1, Data: []float64{0, 2, 10}}, []int{1, 1, 0}, (0.8 + 0.75) / 3},
		// Distances are Euclidean, not squared: (0,0) is 5 from (3,4), so
		// s = (5 − 0.5)/5; (0,0.5) is √21.25 from it; the singleton scores 0.
		{"two dimensions", Matrix{Rows: 3, Cols: 2, Data: []float64{0, 0, 3, 4, 0, 0.5}}, []int{0, 1, 0},
			(0.9 + 0 + (math.Sqrt(21.25)-0.5)/math.Sqrt(21.25)) / 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Silhouette(tt.x, tt.labels)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("silhouette %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSilhouetteErrors(t *testing.T) {
	x := Matrix{Rows: 3, Cols: 1, Data: []float64{0, 1, 2}}
	tests := []struct {
		name   string
		labels []int
		want   string
	}{
		{"one cluster", []int{0, 0, 0}, "1 clusters"},
		{"each row alone", []int{0, 1, 2}, "3 clusters"},
		{"negative label", []int{0, -1, 1}, "label -1"},
		{"too few labels", []int{0, 1}, "2 labels for 3 rows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Silhouette(x, tt.labels)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestSilhouetteSample(t *testing.T) {
	x, truth := blobs(t, 3000, 4, 3, 5)
	exact, err := Silhouette(x, truth)
	if err != nil {
		t.Fatal(err)
	}
	whole, err := SilhouetteSample(x, truth, 5000, 1)
	if err != nil || whole != exact {
		t.Errorf("sample larger than the table = %v, %v; want the exact %v", whole, err, exact)
	}
	a, err := SilhouetteSample(x, truth, 500, 9)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := SilhouetteSample(x, truth, 500, 9)
	if a != b {
		t.Errorf("same seed, samples score %v and %v", a, b)
	}
	if math.Abs(a-exact) > 0.02 {
		t.Errorf("sampled %v, exact %v: further apart than 0.02", a, exact)
	}
}

func TestSampleRowsDistinct(t *testing.T) {
	rows := sampleRows(1000, 999, 3)
	for i := 1; i < len(rows); i++ {
		if rows[i] <= rows[i-1] || rows[i] >= 1000 {
			t.Fatalf("rows not distinct, ascending and in range at %d: %v", i, rows[i-1:i+1])
		}
	}
}

package predict

import (
	"math"
	"testing"
)

func TestAUC(t *testing.T) {
	tests := []struct {
		name           string
		scores, labels []float64
		want           float64
	}{
		{"perfect", []float64{0.1, 0.2, 0.8, 0.9}, []float64{0, 0, 1, 1}, 1},
		{"reversed", []float64{0.9, 0.8, 0.2, 0.1}, []float64{0, 0, 1, 1}, 0},
		{"all tied", []float64{0.5, 0.5, 0.5, 0.5}, []float64{0, 1, 0, 1}, 0.5},
		// Pairs (positive, negative): (0.35, 0.1) ranked right, (0.35, 0.4) wrong,
		// (0.8, 0.1) and (0.8, 0.4) right: 3 of 4.
		{"one swap", []float64{0.1, 0.4, 0.35, 0.8}, []float64{0, 0, 1, 1}, 0.75},
		// One tie across classes counts half: pairs (0.5+, 0.5-) = 0.5, (0.5+, 0.2-) = 1,
		// (0.9+, 0.5-) = 1, (0.9+, 0.2-) = 1 → 3.5 / 4.
		{"tie across classes", []float64{0.2, 0.5, 0.5, 0.9}, []float64{0, 0, 1, 1}, 0.875},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := AUC(tt.scores, tt.labels); math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("AUC = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAUCOneClassIsNaN(t *testing.T) {
	if got := AUC([]float64{0.1, 0.9}, []float64{1, 1}); !math.IsNaN(got) {
		t.Errorf("AUC with no negatives = %v, want NaN", got)
	}
}

func TestLogLoss(t *testing.T) {
	tests := []struct {
		name          string
		probs, labels []float64
		want          float64
	}{
		{"half", []float64{0.5, 0.5}, []float64{0, 1}, math.Ln2},
		{"mixed", []float64{0.8, 0.25}, []float64{1, 0}, -(math.Log(0.8) + math.Log(0.75)) / 2},
		{"clipped", []float64{0}, []float64{1}, -math.Log(1e-15)},
		{"empty", nil, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := LogLoss(tt.probs, tt.labels); math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("LogLoss = %v, want %v", got, tt.want)
			}
		})
	}
}

package cluster

import (
	"fmt"
	"math"
)

// Scaler standardises columns to z-scores, (x − Mean) / Std, with the
// population standard deviation (as scikit-learn's StandardScaler). A column
// whose Std is zero (every value the same) is only centred: dividing would
// give NaN, and the column carries no information to scale anyway.
type Scaler struct {
	Mean []float64
	Std  []float64
}

// FitScaler measures each column's mean and standard deviation. The
// deviation is computed around the mean in a second pass, which stays exact
// for columns with a large mean and a small spread (timestamps, amounts in
// cents) where the one-pass sum of squares loses every digit.
func FitScaler(m Matrix) (Scaler, error) {
	if err := m.check(); err != nil {
		return Scaler{}, fmt.Errorf("fit scaler: %w", err)
	}
	if m.Rows == 0 {
		return Scaler{}, fmt.Errorf("fit scaler: no rows")
	}
	s := Scaler{Mean: make([]float64, m.Cols), Std: make([]float64, m.Cols)}
	for i := 0; i < m.Rows; i++ {
		for j, v := range m.Row(i) {
			s.Mean[j] += v
		}
	}
	for j := range s.Mean {
		s.Mean[j] /= float64(m.Rows)
	}
	for i := 0; i < m.Rows; i++ {
		for j, v := range m.Row(i) {
			d := v - s.Mean[j]
			s.Std[j] += d * d
		}
	}
	n := float64(m.Rows)
	for j := range s.Std {
		s.Std[j] = math.Sqrt(s.Std[j] / n)
		// A constant column whose value has no exact binary form (0.1)
		// gets a mean off by rounding, hence a deviation of about
		// n·ε·|mean| instead of zero; dividing by it would blow any other
		// value up. scikit-learn treats such columns as constant too.
		if s.Std[j] <= n*epsilon*math.Abs(s.Mean[j]) {
			s.Std[j] = 0
		}
	}
	return s, nil
}

// epsilon is the gap between 1 and the next float64.
const epsilon = 0x1p-52

// scale is the divisor used for column j: its deviation, or 1 when the
// column does not vary.
func (s Scaler) scale(j int) float64 {
	if s.Std[j] == 0 {
		return 1
	}
	return s.Std[j]
}

// TransformInPlace standardises m, overwriting it; the clustering of a large
// table does this to avoid holding a second copy.
func (s Scaler) TransformInPlace(m Matrix) error {
	if len(s.Mean) != m.Cols || len(s.Std) != m.Cols || len(m.Data) != m.Rows*m.Cols {
		return fmt.Errorf("standardise: scaler has %d columns, matrix %d", len(s.Mean), m.Cols)
	}
	div := make([]float64, m.Cols)
	for j := range div {
		div[j] = s.scale(j)
	}
	for i := 0; i < m.Rows; i++ {
		row := m.Row(i)
		for j := range row {
			row[j] = (row[j] - s.Mean[j]) / div[j]
		}
	}
	return nil
}

// Transform returns a standardised copy of m.
func (s Scaler) Transform(m Matrix) (Matrix, error) {
	out := Matrix{Rows: m.Rows, Cols: m.Cols, Data: append([]float64(nil), m.Data...)}
	if err := s.TransformInPlace(out); err != nil {
		return Matrix{}, err
	}
	return out, nil
}

// Point standardises one point, for placing a new customer among centres
// fitted on standardised data.
func (s Scaler) Point(x []float64) ([]float64, error) {
	if len(x) != len(s.Mean) || len(s.Std) != len(s.Mean) {
		return nil, fmt.Errorf("standardise point: %d values, scaler has %d columns", len(x), len(s.Mean))
	}
	out := make([]float64, len(x))
	for j, v := range x {
		out[j] = (v - s.Mean[j]) / s.scale(j)
	}
	return out, nil
}

// Inverse maps a standardised point (a centre, say) back to the original
// units.
func (s Scaler) Inverse(z []float64) ([]float64, error) {
	if len(z) != len(s.Mean) || len(s.Std) != len(s.Mean) {
		return nil, fmt.Errorf("unstandardise point: %d values, scaler has %d columns", len(z), len(s.Mean))
	}
	out := make([]float64, len(z))
	for j, v := range z {
		out[j] = v*s.scale(j) + s.Mean[j]
	}
	return out, nil
}

package predict

import (
	"sort"
)

// binned holds the training rows with each feature mapped to a small bin
// number: bin b of feature f holds the values x with
// thresholds[f][b-1] < x ≤ thresholds[f][b].
type binned struct {
	rows       int
	cols       [][]uint8   // cols[f][i]: bin of feature f on row i
	thresholds [][]float64 // at most maxBins-1 per feature
	offsets    []int       // offsets[f]: first slot of f in a histogram
	slots      int         // histogram slots over all features
}

// binRows bins the rows of x named by rows (in that order) into at most
// maxBins quantile bins per feature.
func binRows(x *Matrix, rows []int, maxBins int) *binned {
	b := &binned{rows: len(rows)}
	vals, sorted := make([]float64, len(rows)), make([]float64, len(rows))
	for f := 0; f < x.Cols; f++ {
		for k, i := range rows {
			vals[k] = x.Data[i*x.Cols+f]
		}
		copy(sorted, vals)
		t := thresholds(sorted, maxBins)
		col := make([]uint8, len(rows))
		for k, v := range vals {
			col[k] = uint8(sort.SearchFloat64s(t, v))
		}
		b.cols = append(b.cols, col)
		b.thresholds = append(b.thresholds, t)
		b.offsets = append(b.offsets, b.slots)
		b.slots += len(t) + 1
	}
	return b
}

// thresholds returns the upper bounds of all bins but the last: midpoints
// between distinct values when there are at most maxBins of them, else
// distinct quantiles. vals is reordered.
func thresholds(vals []float64, maxBins int) []float64 {
	sort.Float64s(vals)
	var distinct []float64
	for i, v := range vals {
		if i == 0 || v != vals[i-1] {
			distinct = append(distinct, v)
		}
	}
	var t []float64
	if len(distinct) <= maxBins {
		for i := 1; i < len(distinct); i++ {
			t = append(t, distinct[i-1]+(distinct[i]-distinct[i-1])/2)
		}
		return t
	}
	for q := 1; q < maxBins; q++ {
		v := vals[q*len(vals)/maxBins]
		if v == vals[len(vals)-1] {
			break // the last bin must not be empty
		}
		if len(t) == 0 || v > t[len(t)-1] {
			t = append(t, v)
		}
	}
	return t
}

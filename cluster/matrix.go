package cluster

import (
	"fmt"
	"math"
)

// Matrix is a dense table of float64 stored row-major in one slice: the
// value of row i, column j is Data[i*Cols+j]. One flat slice rather than a
// slice per row keeps a million rows in a single allocation and the rows
// next to each other in memory.
type Matrix struct {
	Rows, Cols int
	Data       []float64
}

// NewMatrix returns a zeroed rows × cols matrix.
func NewMatrix(rows, cols int) Matrix {
	return Matrix{Rows: rows, Cols: cols, Data: make([]float64, rows*cols)}
}

// Row returns row i as a slice sharing the matrix's storage.
func (m Matrix) Row(i int) []float64 {
	return m.Data[i*m.Cols : (i+1)*m.Cols : (i+1)*m.Cols]
}

// check reports a matrix whose shape and data disagree, or that holds a
// value k-means cannot place (NaN or ±Inf).
func (m Matrix) check() error {
	if m.Rows < 0 || m.Cols <= 0 || len(m.Data) != m.Rows*m.Cols {
		return fmt.Errorf("matrix %d × %d holds %d values", m.Rows, m.Cols, len(m.Data))
	}
	for i, v := range m.Data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("row %d column %d: %v is not a finite number", i/m.Cols+1, i%m.Cols+1, v)
		}
	}
	return nil
}

// sqDist is the squared Euclidean distance between a and b (same length).
// It stays this simple so the compiler inlines it into the hot loops; four
// running sums overlap better on paper but cost the inlining and measured
// slower.
func sqDist(a, b []float64) float64 {
	var s float64
	for j := range a {
		d := a[j] - b[j]
		s += d * d
	}
	return s
}

package cluster

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// DefaultSilhouetteSample is the sample size ChooseK scores silhouettes on
// when not told otherwise: exact silhouettes cost n² distances, which for a
// million rows is hours; ten thousand rows take well under a second per k
// and estimate the mean to about ±0.01.
const DefaultSilhouetteSample = 10000

// Silhouette is the mean silhouette coefficient of the rows of x labelled
// by labels (each 0 … K−1), computed exactly: for each row, a is its mean
// distance to the other rows of its cluster, b the smallest mean distance to
// the rows of another cluster, and its coefficient (b − a) / max(a, b), or 0
// when its cluster has only it. Between 2 and n−1 clusters must be present.
func Silhouette(x Matrix, labels []int) (float64, error) {
	s, err := silhouettes(x, [][]int{labels})
	if err != nil {
		return 0, err
	}
	return s[0], nil
}

// silhouettes scores several labelings of the same rows in one pass: the
// n² distances, the costly part, are computed once for all of them.
func silhouettes(x Matrix, labelings [][]int) ([]float64, error) {
	if err := x.check(); err != nil {
		return nil, fmt.Errorf("silhouette: %w", err)
	}
	sizes := make([][]int, len(labelings))
	for l, labels := range labelings {
		var err error
		if sizes[l], err = checkLabeling(x.Rows, labels); err != nil {
			return nil, fmt.Errorf("silhouette: %w", err)
		}
	}
	L := len(labelings)
	coef := make([]float64, x.Rows*L)
	forBlocks(x.Rows, 64, 0, func(_, lo, hi int) {
		dist := make([]float64, x.Rows)
		sums := make([][]float64, L)
		for l := range sums {
			sums[l] = make([]float64, len(sizes[l]))
		}
		for i := lo; i < hi; i++ {
			row := x.Row(i)
			for j := range dist {
				dist[j] = math.Sqrt(sqDist(row, x.Data[j*x.Cols:(j+1)*x.Cols]))
			}
			for l, labels := range labelings {
				s := sums[l]
				clear(s)
				for j, d := range dist {
					s[labels[j]] += d
				}
				coef[i*L+l] = coefficient(s, sizes[l], labels[i])
			}
		}
	})
	out := make([]float64, L)
	for i := range x.Rows {
		for l := range out {
			out[l] += coef[i*L+l]
		}
	}
	for l := range out {
		out[l] /= float64(x.Rows)
	}
	return out, nil
}

// checkLabeling checks one labeling of n rows and returns its cluster
// sizes.
func checkLabeling(n int, labels []int) ([]int, error) {
	if len(labels) != n {
		return nil, fmt.Errorf("%d labels for %d rows", len(labels), n)
	}
	sizes, err := clusterSizes(labels)
	if err != nil {
		return nil, err
	}
	present := 0
	for _, c := range sizes {
		if c > 0 {
			present++
		}
	}
	if present < 2 || present > n-1 {
		return nil, fmt.Errorf("%d clusters among %d rows: want 2 to %d", present, n, n-1)
	}
	return sizes, nil
}

// coefficient is one row's silhouette from its sums of distances to each
// cluster (its own distance of zero included).
func coefficient(sums []float64, sizes []int, own int) float64 {
	if sizes[own] == 1 {
		return 0
	}
	a, b := sums[own]/float64(sizes[own]-1), math.Inf(1)
	for c, n := range sizes {
		if c != own && n > 0 {
			b = min(b, sums[c]/float64(n))
		}
	}
	if m := max(a, b); m > 0 {
		return (b - a) / m
	}
	return 0
}

// clusterSizes counts the rows of each label, refusing negative labels.
func clusterSizes(labels []int) ([]int, error) {
	var sizes []int
	for i, l := range labels {
		if l < 0 {
			return nil, fmt.Errorf("row %d has label %d: want 0 or more", i+1, l)
		}
		if l >= len(sizes) {
			if l >= len(labels) {
				return nil, fmt.Errorf("row %d has label %d: want labels below the %d rows", i+1, l, len(labels))
			}
			sizes = append(sizes, make([]int, l+1-len(sizes))...)
		}
		sizes[l]++
	}
	return sizes, nil
}

// SilhouetteSample estimates Silhouette on size rows drawn without
// replacement by a generator seeded with seed, distances taken among the
// drawn rows only (scikit-learn's silhouette_score with sample_size). The
// same seed draws the same rows, so scores of different labelings of one
// table are comparable. When size ≥ the rows, it is Silhouette.
func SilhouetteSample(x Matrix, labels []int, size int, seed uint64) (float64, error) {
	if len(labels) != x.Rows {
		return 0, fmt.Errorf("silhouette: %d labels for %d rows", len(labels), x.Rows)
	}
	sample, err := newSilhouetteSample(x, size, seed)
	if err != nil {
		return 0, err
	}
	sample.add(labels)
	s, err := sample.scores()
	if err != nil {
		return 0, err
	}
	return s[0], nil
}

// silhouetteSample is a sample of a table's rows and the labelings of those
// rows to score.
type silhouetteSample struct {
	rows      []int // nil: every row
	x         Matrix
	labelings [][]int
}

// newSilhouetteSample draws size rows of x (all when size ≥ its rows).
func newSilhouetteSample(x Matrix, size int, seed uint64) (*silhouetteSample, error) {
	if size < 2 {
		return nil, errors.New("silhouette: sample size below 2")
	}
	if len(x.Data) != x.Rows*x.Cols {
		return nil, fmt.Errorf("silhouette: matrix %d × %d holds %d values", x.Rows, x.Cols, len(x.Data))
	}
	if size >= x.Rows {
		return &silhouetteSample{x: x}, nil
	}
	s := &silhouetteSample{rows: sampleRows(x.Rows, size, seed), x: NewMatrix(size, x.Cols)}
	for i, r := range s.rows {
		copy(s.x.Row(i), x.Row(r))
	}
	return s, nil
}

// add keeps the sampled rows' labels of one labeling of the whole table.
func (s *silhouetteSample) add(labels []int) {
	if s.rows == nil {
		s.labelings = append(s.labelings, labels)
		return
	}
	sub := make([]int, len(s.rows))
	for i, r := range s.rows {
		sub[i] = labels[r]
	}
	s.labelings = append(s.labelings, sub)
}

// scores is the mean silhouette of each labeling added, in order.
func (s *silhouetteSample) scores() ([]float64, error) {
	return silhouettes(s.x, s.labelings)
}

// sampleRows draws size distinct rows of n, in ascending order, by a
// partial Fisher–Yates shuffle kept in a map so it costs O(size), not O(n).
func sampleRows(n, size int, seed uint64) []int {
	rng := rand.New(rand.NewPCG(seed, 0x51))
	swapped := make(map[int]int, size)
	at := func(i int) int {
		if v, ok := swapped[i]; ok {
			return v
		}
		return i
	}
	rows := make([]int, size)
	for i := range size {
		j := i + rng.IntN(n-i)
		rows[i] = at(j)
		swapped[j] = at(i)
	}
	slices.Sort(rows)
	return rows
}

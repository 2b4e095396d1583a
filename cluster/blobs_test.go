package cluster

import (
	"math/rand/v2"
	"testing"
)

// blobs makes n rows of d features around k centres (centre c sits 12
// units along axis c mod d, pushed 12 further for each full turn), with unit
// normal noise: far enough apart that any sound k-means finds them. It
// returns the rows and each row's planted cluster.
func blobs(t testing.TB, n, d, k int, seed uint64) (Matrix, []int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 7))
	x := NewMatrix(n, d)
	truth := make([]int, n)
	for i := range n {
		c := rng.IntN(k)
		truth[i] = c
		row := x.Row(i)
		for j := range row {
			row[j] = rng.NormFloat64()
		}
		row[c%d] += 12 * float64(1+c/d)
	}
	return x, truth
}

// bruteInertia recomputes the inertia of labels against centres directly.
func bruteInertia(x Matrix, centers Matrix, labels []int) float64 {
	var s float64
	for i := range x.Rows {
		s += sqDist(x.Row(i), centers.Row(labels[i]))
	}
	return s
}

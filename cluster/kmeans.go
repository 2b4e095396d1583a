package cluster

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// Options tunes KMeans. The zero value of each field but K means the
// default given.
type Options struct {
	// K is the number of clusters, at least 1 and at most the rows.
	K int
	// MaxIter caps the Lloyd iterations of one run (default 300).
	MaxIter int
	// Tol stops a run once the centres moved less than Tol times the mean
	// column variance (summed squared moves), as scikit-learn's tol does;
	// default 1e-4. A run also stops when no label changed.
	Tol float64
	// NInit is how many k-means++ seedings to run; the one with the lowest
	// inertia wins (default 1).
	NInit int
	// Seed makes the seedings, hence the result, reproducible.
	Seed uint64
	// Workers bounds the goroutines (zero: one per core). It changes the
	// speed, never the result.
	Workers int
}

// withDefaults fills the zero fields and checks the rest.
func (o Options) withDefaults(rows int) (Options, error) {
	if o.MaxIter == 0 {
		o.MaxIter = 300
	}
	if o.Tol == 0 {
		o.Tol = 1e-4
	}
	if o.NInit == 0 {
		o.NInit = 1
	}
	switch {
	case o.K < 1:
		return o, fmt.Errorf("k = %d: want at least 1", o.K)
	case o.K > rows:
		return o, fmt.Errorf("k = %d exceeds the %d rows", o.K, rows)
	case o.MaxIter < 1, o.NInit < 1:
		return o, fmt.Errorf("max iterations %d and seedings %d: want at least 1", o.MaxIter, o.NInit)
	case o.Tol < 0 || math.IsNaN(o.Tol):
		return o, fmt.Errorf("tolerance %v: want at least 0", o.Tol)
	}
	return o, nil
}

// Result is a fitted clustering.
type Result struct {
	// Centers holds the K centres, one per row, in the space clustered.
	Centers Matrix
	// Labels holds each row's cluster, 0 … K−1.
	Labels []int
	// Sizes holds each cluster's number of rows.
	Sizes []int
	// Inertia is the sum of squared distances from rows to their centres.
	Inertia float64
	// Iterations is the number of Lloyd iterations of the winning run.
	Iterations int
	// Converged says whether the winning run stopped before MaxIter.
	Converged bool
}

// Assign returns the index of the centre nearest x (the lowest index on a
// tie), for placing a new point already in the space clustered.
func (r *Result) Assign(x []float64) (int, error) {
	if len(x) != r.Centers.Cols || r.Centers.Rows == 0 {
		return 0, fmt.Errorf("assign: %d values, centres have %d", len(x), r.Centers.Cols)
	}
	best, _ := nearest(x, r.Centers.Data, r.Centers.Rows)
	return best, nil
}

// KMeans clusters the rows of x into opts.K groups by Lloyd's algorithm
// from k-means++ seeds, keeping the best of opts.NInit runs. The data should
// usually be standardised first (Scaler), or the column with the largest
// units decides alone. The context is checked between iterations.
func KMeans(ctx context.Context, x Matrix, opts Options) (*Result, error) {
	if err := x.check(); err != nil {
		return nil, fmt.Errorf("k-means: %w", err)
	}
	opts, err := opts.withDefaults(x.Rows)
	if err != nil {
		return nil, fmt.Errorf("k-means: %w", err)
	}
	tol := opts.Tol * meanVariance(x)
	var best *Result
	for run := range opts.NInit {
		rng := rand.New(rand.NewPCG(opts.Seed, uint64(run)))
		centers := seedPlusPlus(x, opts.K, rng, opts.Workers)
		res, err := lloyd(ctx, x, centers, opts.MaxIter, tol, opts.Workers)
		if err != nil {
			return nil, fmt.Errorf("k-means: %w", err)
		}
		if best == nil || res.Inertia < best.Inertia {
			best = res
		}
	}
	if best == nil {
		return nil, errors.New("k-means: no run")
	}
	return best, nil
}

// meanVariance is the mean over columns of each column's variance: the
// scale that makes Tol independent of the data's units.
func meanVariance(x Matrix) float64 {
	if x.Rows == 0 {
		return 0
	}
	mean := make([]float64, x.Cols)
	for i := 0; i < x.Rows; i++ {
		for j, v := range x.Row(i) {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= float64(x.Rows)
	}
	var ss float64
	for i := 0; i < x.Rows; i++ {
		for j, v := range x.Row(i) {
			d := v - mean[j]
			ss += d * d
		}
	}
	return ss / float64(x.Rows) / float64(x.Cols)
}

// nearest returns the centre (of k, flat row-major) nearest x and its
// squared distance; the lowest index wins a tie.
func nearest(x, centers []float64, k int) (int, float64) {
	d := len(x)
	best, bestDist := 0, math.Inf(1)
	for c := range k {
		if dist := sqDist(x, centers[c*d:(c+1)*d]); dist < bestDist {
			best, bestDist = c, dist
		}
	}
	return best, bestDist
}

package cluster

import (
	"context"
	"fmt"
)

// Trial is the outcome of one k tried by ChooseK.
type Trial struct {
	K          int     `json:"k"`
	Silhouette float64 `json:"silhouette"`
	Inertia    float64 `json:"inertia"`
	Iterations int     `json:"iterations"`
}

// Choice is the k ChooseK picked, its clustering, and every k tried.
type Choice struct {
	K          int
	Silhouette float64
	Result     *Result
	Trials     []Trial
}

// ChooseK clusters x for each k in [kmin, kmax] and keeps the k with the
// highest mean silhouette (the smaller k on a tie). Inertia cannot choose k:
// it always falls as k grows. Silhouettes are scored on sampleSize rows
// drawn with opts.Seed, the same rows for every k (sampleSize ≤ 0 means
// DefaultSilhouetteSample; exact when the table is no larger). opts.K is
// ignored.
func ChooseK(ctx context.Context, x Matrix, kmin, kmax int, opts Options, sampleSize int) (*Choice, error) {
	if kmin < 2 || kmax < kmin {
		return nil, fmt.Errorf("choose k: range %d…%d: want 2 ≤ kmin ≤ kmax", kmin, kmax)
	}
	if kmax >= x.Rows {
		return nil, fmt.Errorf("choose k: kmax %d: want fewer than the %d rows", kmax, x.Rows)
	}
	if sampleSize <= 0 {
		sampleSize = DefaultSilhouetteSample
	}
	sample, err := newSilhouetteSample(x, sampleSize, opts.Seed)
	if err != nil {
		return nil, fmt.Errorf("choose k: %w", err)
	}
	// Every k is fitted before any is scored, so one pass over the
	// sample's distances scores them all. Only the sample's labels are
	// kept meanwhile; the winner's labels are recomputed at the end.
	var results []*Result
	for k := kmin; k <= kmax; k++ {
		opts.K = k
		res, err := KMeans(ctx, x, opts)
		if err != nil {
			return nil, fmt.Errorf("choose k: %w", err)
		}
		sample.add(res.Labels)
		res.Labels = nil
		results = append(results, res)
	}
	scores, err := sample.scores()
	if err != nil {
		return nil, fmt.Errorf("choose k: %w", err)
	}
	best := &Choice{}
	for i, res := range results {
		k := kmin + i
		best.Trials = append(best.Trials, Trial{K: k, Silhouette: scores[i], Inertia: res.Inertia, Iterations: res.Iterations})
		if best.Result == nil || scores[i] > best.Silhouette {
			best.K, best.Silhouette, best.Result = k, scores[i], res
		}
	}
	best.Result.Labels = make([]int, x.Rows)
	newAssigner(x, best.K, opts.Workers).assign(best.Result.Centers.Data, best.Result.Labels)
	return best, nil
}

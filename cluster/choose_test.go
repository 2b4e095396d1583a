package cluster

import (
	"context"
	"slices"
	"testing"
)

func TestChooseKFindsPlantedK(t *testing.T) {
	for _, k := range []int{2, 4, 6} {
		x, truth := blobs(t, 3000, 6, k, uint64(k))
		c, err := ChooseK(context.Background(), x, 2, 8, Options{Seed: 1, NInit: 2}, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if c.K != k {
			t.Errorf("planted %d, chose %d (trials %+v)", k, c.K, c.Trials)
		}
		if len(c.Trials) != 7 || c.Result.Centers.Rows != c.K {
			t.Errorf("%d trials, result with %d centres for k = %d", len(c.Trials), c.Result.Centers.Rows, c.K)
		}
		if ari, _ := AdjustedRand(truth, c.Result.Labels); ari < 0.99 {
			t.Errorf("planted %d: ARI %v", k, ari)
		}
	}
}

func TestChooseKErrors(t *testing.T) {
	x, _ := blobs(t, 10, 2, 2, 1)
	for _, r := range [][2]int{{1, 3}, {4, 3}, {2, 10}} {
		if _, err := ChooseK(context.Background(), x, r[0], r[1], Options{}, 0); err == nil {
			t.Errorf("range %v: no error", r)
		}
	}
}

func TestChooseKMatchesDirectFit(t *testing.T) {
	x, _ := blobs(t, 2000, 3, 3, 4)
	opts := Options{Seed: 5}
	c, err := ChooseK(context.Background(), x, 2, 5, opts, 500)
	if err != nil {
		t.Fatal(err)
	}
	opts.K = c.K
	direct, err := KMeans(context.Background(), x, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Result.Labels, direct.Labels) || c.Result.Inertia != direct.Inertia {
		t.Errorf("chosen k = %d differs from a direct fit: inertia %v vs %v", c.K, c.Result.Inertia, direct.Inertia)
	}
	// Scoring all labelings in one pass gives each one's own score.
	for _, tr := range c.Trials {
		opts.K = tr.K
		res, _ := KMeans(context.Background(), x, opts)
		s, err := SilhouetteSample(x, res.Labels, 500, opts.Seed)
		if err != nil || s != tr.Silhouette {
			t.Errorf("k = %d: trial silhouette %v, alone %v (%v)", tr.K, tr.Silhouette, s, err)
		}
	}
}

package cluster

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestKMeansRecoversPlantedBlobs(t *testing.T) {
	tests := []struct {
		name    string
		n, d, k int
	}{
		{"3 blobs in 2-D", 600, 2, 3},
		{"5 blobs in 8-D", 5000, 8, 5},
		{"8 blobs in 8-D", 20000, 8, 8},
		{"10 blobs in 4-D", 3000, 4, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, truth := blobs(t, tt.n, tt.d, tt.k, 1)
			res, err := KMeans(context.Background(), x, Options{K: tt.k, Seed: 1, NInit: 3})
			if err != nil {
				t.Fatal(err)
			}
			ari, err := AdjustedRand(truth, res.Labels)
			if err != nil {
				t.Fatal(err)
			}
			if ari < 0.99 {
				t.Errorf("ARI = %v, want ≥ 0.99 (sizes %v)", ari, res.Sizes)
			}
			if !res.Converged {
				t.Errorf("did not converge in %d iterations", res.Iterations)
			}
		})
	}
}

func TestKMeansDeterministic(t *testing.T) {
	x, _ := blobs(t, 30000, 8, 6, 2)
	fit := func(seed uint64, workers int) *Result {
		t.Helper()
		res, err := KMeans(context.Background(), x, Options{K: 6, Seed: seed, NInit: 2, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	a, b := fit(7, 0), fit(7, 0)
	if a.Inertia != b.Inertia || !slices.Equal(a.Labels, b.Labels) || !slices.Equal(a.Centers.Data, b.Centers.Data) {
		t.Errorf("same seed, different results: inertia %v vs %v", a.Inertia, b.Inertia)
	}
	// The number of goroutines must not move a single bit.
	for _, workers := range []int{1, 3, 8} {
		c := fit(7, workers)
		if c.Inertia != a.Inertia || !slices.Equal(c.Centers.Data, a.Centers.Data) || c.Iterations != a.Iterations {
			t.Errorf("workers %d: inertia %v iterations %d, want %v and %d", workers, c.Inertia, c.Iterations, a.Inertia, a.Iterations)
		}
	}
}

func TestKMeansInertiaIsBruteForce(t *testing.T) {
	x, _ := blobs(t, 2500, 3, 4, 3)
	for _, k := range []int{1, 2, 4, 7} {
		res, err := KMeans(context.Background(), x, Options{K: k, Seed: 3, MaxIter: 5})
		if err != nil {
			t.Fatal(err)
		}
		want := bruteInertia(x, res.Centers, res.Labels)
		if math.Abs(res.Inertia-want) > 1e-9*want {
			t.Errorf("k=%d: inertia %v, brute force %v", k, res.Inertia, want)
		}
		sizes := make([]int, k)
		for i, l := range res.Labels {
			sizes[l]++
			if c, _ := res.Assign(x.Row(i)); c != l {
				t.Fatalf("k=%d: row %d labelled %d, nearest centre %d", k, i, l, c)
			}
		}
		if !slices.Equal(sizes, res.Sizes) {
			t.Errorf("k=%d: sizes %v, counted %v", k, res.Sizes, sizes)
		}
	}
}

// TestKMeansMatchesScikitLearn compares with scikit-learn's inertia on the
// file in testdata (see its comment for how the figures were made).
func TestKMeansMatchesScikitLearn(t *testing.T) {
	x := readTestdata(t, "blobs.csv")
	s, err := FitScaler(x)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.TransformInPlace(x); err != nil {
		t.Fatal(err)
	}
	for _, c := range sklearnInertia {
		res, err := KMeans(context.Background(), x, Options{K: c.k, Seed: 1, NInit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(res.Inertia-c.inertia) > 1e-6*c.inertia {
			t.Errorf("k=%d: inertia %.10g, scikit-learn %.10g", c.k, res.Inertia, c.inertia)
		}
	}
}

func TestKMeansFewDistinctRows(t *testing.T) {
	// Five rows, two distinct: k = 3 leaves a cluster empty after
	// seeding; it must be refilled, not left NaN.
	x := Matrix{Rows: 5, Cols: 1, Data: []float64{0, 0, 0, 1, 1}}
	res, err := KMeans(context.Background(), x, Options{K: 3, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range res.Centers.Data {
		if math.IsNaN(v) {
			t.Fatalf("centres %v hold NaN", res.Centers.Data)
		}
	}
	if res.Inertia != 0 {
		t.Errorf("inertia %v, want 0", res.Inertia)
	}
}

func TestKMeansErrors(t *testing.T) {
	ok := Matrix{Rows: 3, Cols: 1, Data: []float64{1, 2, 3}}
	tests := []struct {
		name string
		x    Matrix
		opts Options
		want string
	}{
		{"k zero", ok, Options{}, "k = 0"},
		{"k above rows", ok, Options{K: 4}, "exceeds the 3 rows"},
		{"NaN", Matrix{Rows: 2, Cols: 1, Data: []float64{1, math.NaN()}}, Options{K: 1}, "row 2 column 1"},
		{"shape", Matrix{Rows: 2, Cols: 2, Data: []float64{1}}, Options{K: 1}, "holds 1 values"},
		{"negative tol", ok, Options{K: 1, Tol: -1}, "tolerance"},
		{"negative n-init", ok, Options{K: 1, NInit: -1}, "at least 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := KMeans(context.Background(), tt.x, tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestKMeansCancelled(t *testing.T) {
	x, _ := blobs(t, 1000, 2, 3, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := KMeans(ctx, x, Options{K: 3}); err == nil {
		t.Error("no error from a cancelled context")
	}
}

func TestSeedDrawSkipsZeroDistances(t *testing.T) {
	x := Matrix{Rows: 4, Cols: 1, Data: []float64{5, 5, 9, 5}}
	s := newSeeding(x, 1)
	s.update([]float64{5})
	// Only row 2 is away from the centre: every draw must take it.
	for _, r := range []float64{0, 8, 15.999, 16, 1e9} {
		if got := s.draw(r); got != 2 {
			t.Errorf("draw(%v) = row %d, want 2", r, got)
		}
	}
}

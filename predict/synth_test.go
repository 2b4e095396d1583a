package predict

import (
	"math/rand/v2"
	"testing"
)

// synthetic draws n rows of k features uniform on [-1, 1] and labels each 1
// with probability prob(x).
func synthetic(n, k int, seed uint64, prob func(x []float64) float64) (*Matrix, []float64, []string) {
	rng := rand.New(rand.NewPCG(seed, 1))
	m := &Matrix{Rows: n, Cols: k, Data: make([]float64, n*k)}
	y := make([]float64, n)
	for i := range n {
		x := m.Row(i)
		for j := range x {
			x[j] = 2*rng.Float64() - 1
		}
		if rng.Float64() < prob(x) {
			y[i] = 1
		}
	}
	names := make([]string, k)
	for j := range names {
		names[j] = string(rune('a' + j))
	}
	return m, y, names
}

// scores predicts every row of x.
func scores(m Model, x *Matrix) []float64 {
	p := make([]float64, x.Rows)
	for i := range p {
		p[i] = m.Predict(x.Row(i))
	}
	return p
}

// trainBoth fits both models; it fails the test on an error.
func trainBoth(t *testing.T, x *Matrix, y []float64, names []string) (*Logistic, *Boosted) {
	t.Helper()
	l, err := TrainLogistic(x, y, names, LogisticOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := TrainBoosted(x, y, names, BoostedOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	return l, b
}

// xor labels rows by the sign of x0·x1, with 10% noise.
func xor(x []float64) float64 {
	if x[0]*x[1] > 0 {
		return 0.9
	}
	return 0.1
}

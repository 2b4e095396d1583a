package predict

import (
	"math"
	"testing"
)

func TestLogisticRecoversWeights(t *testing.T) {
	want := []float64{1.5, -2, 0.5, 0}
	const intercept = -0.5
	truth := func(x []float64) float64 {
		z := intercept
		for j, w := range want {
			z += w * x[j]
		}
		return sigmoid(z)
	}
	x, y, names := synthetic(40_000, len(want), 3, truth)
	l, err := TrainLogistic(x, y, names, LogisticOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for j, w := range want {
		if math.Abs(l.Weights[j]-w) > 0.1 {
			t.Errorf("weight %s = %.3f, want %.3f ± 0.1", names[j], l.Weights[j], w)
		}
	}
	if math.Abs(l.Intercept-intercept) > 0.1 {
		t.Errorf("intercept = %.3f, want %.3f ± 0.1", l.Intercept, intercept)
	}
	if l.Iterations > 20 {
		t.Errorf("took %d Newton steps, want a handful", l.Iterations)
	}
}

func TestLogisticContributions(t *testing.T) {
	x, y, names := synthetic(2000, 3, 4, func(x []float64) float64 { return sigmoid(2*x[0] - x[2]) })
	l, err := TrainLogistic(x, y, names, LogisticOptions{})
	if err != nil {
		t.Fatal(err)
	}
	row := []float64{0.5, 0, -0.8}
	cs := l.Contributions(row)
	if len(cs) != 2 {
		t.Fatalf("got %d contributions %v, want 2 (the zero feature left out)", len(cs), cs)
	}
	sum := l.Intercept
	for k, c := range cs {
		sum += c.Value
		if k > 0 && math.Abs(c.Value) > math.Abs(cs[k-1].Value) {
			t.Errorf("contributions not sorted by magnitude: %v", cs)
		}
	}
	if p := l.Predict(row); math.Abs(sigmoid(sum)-p) > 1e-12 {
		t.Errorf("intercept + contributions gives %v, Predict %v", sigmoid(sum), p)
	}
}

func TestLogisticDeterministic(t *testing.T) {
	x, y, names := synthetic(3000, 4, 5, xor)
	a, _ := TrainLogistic(x, y, names, LogisticOptions{})
	b, _ := TrainLogistic(x, y, names, LogisticOptions{})
	ja, _ := a.MarshalJSON()
	jb, _ := b.MarshalJSON()
	if string(ja) != string(jb) {
		t.Error("two fits of the same data differ")
	}
}

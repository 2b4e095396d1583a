package predict

import (
	"math"
	"testing"
)

func TestBoostedBeatsLogisticOnXOR(t *testing.T) {
	x, y, names := synthetic(4000, 3, 1, xor)
	xt, yt, _ := synthetic(2000, 3, 2, xor)
	l, b := trainBoth(t, x, y, names)
	al, ab := AUC(scores(l, xt), yt), AUC(scores(b, xt), yt)
	if ab < 0.85 || ab < al+0.2 {
		t.Errorf("AUC boosted %.3f, logistic %.3f: want boosted ≥ 0.85 and well above logistic", ab, al)
	}
}

func TestBoostedEarlyStoppingAndDeterminism(t *testing.T) {
	x, y, names := synthetic(12_000, 4, 6, xor)
	opts := BoostedOptions{Seed: 3, MaxIter: 300}
	a, err := TrainBoosted(x, y, names, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Trees) >= 300 {
		t.Errorf("%d trees: early stopping did not stop", len(a.Trees))
	}
	b, _ := TrainBoosted(x, y, names, opts)
	ja, _ := a.MarshalJSON()
	jb, _ := b.MarshalJSON()
	if string(ja) != string(jb) {
		t.Error("two fits with the same seed differ")
	}
}

func TestBoostedContributionsAddUp(t *testing.T) {
	x, y, names := synthetic(3000, 3, 7, xor)
	b, err := TrainBoosted(x, y, names, BoostedOptions{MaxIter: 50})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		row := x.Row(i)
		sum := b.Bias()
		for _, c := range b.Contributions(row) {
			sum += c.Value
		}
		if p := b.Predict(row); math.Abs(sigmoid(sum)-p) > 1e-9 {
			t.Fatalf("row %d: bias + contributions gives %v, Predict %v", i, sigmoid(sum), p)
		}
	}
	imp := b.Importance()
	if len(imp) < 2 || (imp[0].Feature != "a" && imp[0].Feature != "b") {
		t.Errorf("importance %v: want a or b (the XOR inputs) first", imp)
	}
}

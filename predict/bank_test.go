package predict

import (
	"os"
	"testing"
	"time"
)

const bankFull = "../../shared/data/bank-marketing/bank-full.csv"

// TestBankMarketing trains both models on a stratified 70/30 split of the
// UCI Bank Marketing data (Moro, Cortez & Rita 2014, CC BY 4.0), without
// duration, which is known only after the call. The floors are loose; the
// side-by-side with scikit-learn is in docs/benchmarks.md.
func TestBankMarketing(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("trains on 31,647 rows; skipped with -short and under the race detector")
	}
	f, err := os.Open(bankFull)
	if os.IsNotExist(err) {
		t.Skipf("%s not found", bankFull)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := ReadCSV(f, CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	y, err := Labels(d, "y", nil)
	if err != nil {
		t.Fatal(err)
	}
	d, err = d.Without("y", "duration")
	if err != nil {
		t.Fatal(err)
	}
	trainIdx, testIdx := StratifiedSplit(labelClasses(y), 0.3, 1)
	feats, err := FitFeaturizer(d.Subset(trainIdx))
	if err != nil {
		t.Fatal(err)
	}
	x, err := feats.Transform(d)
	if err != nil {
		t.Fatal(err)
	}
	xTrain, xTest := rowsOf(x, trainIdx), rowsOf(x, testIdx)
	yTrain, yTest := pick(y, trainIdx), pick(y, testIdx)
	floors := map[string]float64{"logistic": 0.75, "boosted": 0.78}
	for _, kind := range []string{"logistic", "boosted"} {
		start := time.Now()
		var m Model
		if kind == "logistic" {
			m, err = TrainLogistic(xTrain, yTrain, feats.Names, LogisticOptions{})
		} else {
			m, err = TrainBoosted(xTrain, yTrain, feats.Names, BoostedOptions{Seed: 1})
		}
		if err != nil {
			t.Fatal(err)
		}
		p := scores(m, xTest)
		auc := AUC(p, yTest)
		t.Logf("%s: AUC %.4f, log-loss %.4f, %v", kind, auc, LogLoss(p, yTest), time.Since(start).Round(time.Millisecond))
		if auc < floors[kind] {
			t.Errorf("%s AUC %.4f, want at least %.2f", kind, auc, floors[kind])
		}
	}
}

// rowsOf copies the rows idx of x.
func rowsOf(x *Matrix, idx []int) *Matrix {
	m := &Matrix{Rows: len(idx), Cols: x.Cols, Data: make([]float64, 0, len(idx)*x.Cols)}
	for _, i := range idx {
		m.Data = append(m.Data, x.Row(i)...)
	}
	return m
}

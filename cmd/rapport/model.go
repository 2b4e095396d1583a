package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/rapportdev/rapport/predict"
)

func runModel(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("model: want 'model train', 'model eval' or 'model split'")
	}
	switch args[0] {
	case "train":
		return modelTrain(ctx, args[1:], stdout, stderr)
	case "eval":
		return modelEval(ctx, args[1:], stdout, stderr)
	case "split":
		return modelSplit(args[1:], stderr)
	}
	return fmt.Errorf("model: unknown subcommand %q (want train, eval or split)", args[0])
}

// evalResult is the JSON line modelEval prints per model.
type evalResult struct {
	Model        string  `json:"model"`
	AUC          float64 `json:"auc"`
	LogLoss      float64 `json:"logloss"`
	PositiveRate float64 `json:"positive_rate"`
	TrainRows    int     `json:"train_rows"`
	TestRows     int     `json:"test_rows"`
	Features     int     `json:"features"`
	Seconds      float64 `json:"seconds"`
}

// evalData is a train/test pair turned into features and labels.
type evalData struct {
	names              []string
	xTrain, xTest      *predict.Matrix
	yTrain, yTest      []float64
	trainRows, testRow int
}

// modelEval trains on one CSV and measures on another.
func modelEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("model eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	train := fs.String("train", "", "CSV to train on (header required; ',' or ';')")
	test := fs.String("test", "", "CSV to measure on")
	target := fs.String("target", "", "column to predict")
	drop := fs.String("drop", "", "comma-separated columns to leave out (e.g. ones known only after the outcome)")
	positive := fs.String("positive", "", "comma-separated target values of the positive class (default yes,true,1)")
	which := fs.String("model", "both", "logistic, boosted or both")
	seed := fs.Uint64("seed", 1, "seed of the boosted model's validation split")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *train == "" || *test == "" || *target == "" {
		return errors.New("model eval: --train, --test and --target are required")
	}
	kinds, err := modelKinds(*which)
	if err != nil {
		return err
	}
	data, err := loadEvalData(*train, *test, *target, splitList(*drop), splitList(*positive))
	if err != nil {
		return fmt.Errorf("model eval: %w", err)
	}
	enc := json.NewEncoder(stdout)
	for _, kind := range kinds {
		if err := ctx.Err(); err != nil {
			return err
		}
		res, err := evalModel(kind, data, *seed)
		if err != nil {
			return fmt.Errorf("model eval: %w", err)
		}
		if err := enc.Encode(res); err != nil {
			return err
		}
	}
	return nil
}

// modelKinds expands --model.
func modelKinds(which string) ([]string, error) {
	switch which {
	case "logistic", "boosted":
		return []string{which}, nil
	case "both":
		return []string{"logistic", "boosted"}, nil
	}
	return nil, fmt.Errorf("model eval: --model %q: want logistic, boosted or both", which)
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// loadEvalData reads both files, takes the labels and fits the features on
// the training file.
func loadEvalData(trainPath, testPath, target string, drop, positive []string) (*evalData, error) {
	trainSet, yTrain, err := readLabelled(trainPath, target, drop, positive)
	if err != nil {
		return nil, err
	}
	testSet, yTest, err := readLabelled(testPath, target, drop, positive)
	if err != nil {
		return nil, err
	}
	if r := predict.PositiveRate(yTrain); r == 0 || r == 1 {
		return nil, fmt.Errorf("%s: every row has the same class (positive share %v): nothing to learn", trainPath, r)
	}
	f, err := predict.FitFeaturizer(trainSet)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", trainPath, err)
	}
	xTrain, err := f.Transform(trainSet)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", trainPath, err)
	}
	xTest, err := f.Transform(testSet)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", testPath, err)
	}
	return &evalData{names: f.Names, xTrain: xTrain, xTest: xTest, yTrain: yTrain, yTest: yTest,
		trainRows: trainSet.Len(), testRow: testSet.Len()}, nil
}

// readLabelled reads a CSV file and splits it into the feature columns and
// the labels.
func readLabelled(path, target string, drop, positive []string) (*predict.Dataset, []float64, error) {
	d, err := readCSVFile(path)
	if err != nil {
		return nil, nil, err
	}
	y, err := predict.Labels(d, target, positive)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	d, err = d.Without(append([]string{target}, drop...)...)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return d, y, nil
}

// readCSVFile reads a table from a file.
func readCSVFile(path string) (*predict.Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	d, err := predict.ReadCSV(f, predict.CSVOptions{})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return d, nil
}

// evalModel trains one kind of model and measures it on the test rows.
func evalModel(kind string, d *evalData, seed uint64) (*evalResult, error) {
	start := time.Now()
	var m predict.Model
	var err error
	if kind == "logistic" {
		m, err = predict.TrainLogistic(d.xTrain, d.yTrain, d.names, predict.LogisticOptions{})
	} else {
		m, err = predict.TrainBoosted(d.xTrain, d.yTrain, d.names, predict.BoostedOptions{Seed: seed})
	}
	if err != nil {
		return nil, err
	}
	probs := make([]float64, d.xTest.Rows)
	for i := range probs {
		probs[i] = m.Predict(d.xTest.Row(i))
	}
	auc := predict.AUC(probs, d.yTest)
	if math.IsNaN(auc) {
		return nil, errors.New("the test file holds only one class: AUC is undefined")
	}
	return &evalResult{Model: kind, AUC: round(auc, 4), LogLoss: round(predict.LogLoss(probs, d.yTest), 4),
		PositiveRate: round(predict.PositiveRate(d.yTest), 4), TrainRows: d.trainRows, TestRows: d.testRow,
		Features: len(d.names), Seconds: round(time.Since(start).Seconds(), 2)}, nil
}

func round(v float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(v*p) / p
}

// modelSplit writes a stratified train/test split of a CSV, comma-separated.
func modelSplit(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("model split", flag.ContinueOnError)
	fs.SetOutput(stderr)
	in := fs.String("in", "", "CSV to split (header required; ',' or ';')")
	trainPath := fs.String("train", "", "file to write the training rows to")
	testPath := fs.String("test", "", "file to write the test rows to")
	target := fs.String("target", "", "column whose values keep their shares in both files")
	share := fs.Float64("test-share", 0.3, "share of each target value's rows that go to --test")
	seed := fs.Uint64("seed", 1, "seed of the split")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *in == "" || *trainPath == "" || *testPath == "" || *target == "" {
		return errors.New("model split: --in, --train, --test and --target are required")
	}
	if *share <= 0 || *share >= 1 {
		return fmt.Errorf("model split: --test-share %v: want a share between 0 and 1", *share)
	}
	d, err := readCSVFile(*in)
	if err != nil {
		return fmt.Errorf("model split: %w", err)
	}
	c := d.Column(*target)
	if c == nil {
		return fmt.Errorf("model split: %s has no column %q", *in, *target)
	}
	train, test := predict.StratifiedSplit(c.Values, *share, *seed)
	if err := writeCSVFile(*trainPath, d.Subset(train)); err != nil {
		return fmt.Errorf("model split: %w", err)
	}
	if err := writeCSVFile(*testPath, d.Subset(test)); err != nil {
		return fmt.Errorf("model split: %w", err)
	}
	return nil
}

// writeCSVFile writes a table with a header, comma-separated.
func writeCSVFile(path string, d *predict.Dataset) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	rec := make([]string, len(d.Columns))
	for i, c := range d.Columns {
		rec[i] = c.Name
	}
	_ = w.Write(rec)
	for r := range d.Len() {
		for i, c := range d.Columns {
			rec[i] = c.Values[r]
		}
		_ = w.Write(rec)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

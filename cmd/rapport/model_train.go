package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/predict"
)

// trainResult is the JSON line model train prints.
type trainResult struct {
	Version      int     `json:"version"`
	Outcome      string  `json:"outcome"`
	Model        string  `json:"model"`
	AUC          float64 `json:"auc"`
	LogLoss      float64 `json:"logloss"`
	PositiveRate float64 `json:"positive_rate"`
	TrainRows    int     `json:"train_rows"`
	TestRows     int     `json:"test_rows"`
	Features     int     `json:"features"`
	Seconds      float64 `json:"seconds"`
}

// modelTrain fits a conversion model on the stored people, measures it on
// a stratified 30% it did not see, and stores it as the next version: the
// server then serves each profile's probability with its score.
func modelTrain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var sf storeFlags
	fs := flag.NewFlagSet("model train", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sf.register(fs)
	outcome := fs.String("outcome", rapport.EventOrderCompleted, "event whose first occurrence is the conversion")
	which := fs.String("model", "logistic", "logistic or boosted")
	seed := fs.Uint64("seed", 1, "seed of the held-out split")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *which != "logistic" && *which != "boosted" {
		return fmt.Errorf("model train: --model %q: want logistic or boosted", *which)
	}
	b, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer b.Close()
	start := time.Now()
	now := start.UTC()
	var rows []map[string]string
	var y []float64
	after := ""
	for {
		page, err := b.Store.ScanProfiles(ctx, after, 5000)
		if err != nil {
			return fmt.Errorf("model train: %w", err)
		}
		if len(page) == 0 {
			break
		}
		for _, p := range page {
			if p.Kind != rapport.ProfilePerson {
				continue
			}
			rows = append(rows, predict.ProfileRow(p, *outcome, now))
			y = append(y, map[bool]float64{true: 1}[predict.Converted(p, *outcome)])
		}
		after = page[len(page)-1].ID
	}
	pos := 0
	for _, v := range y {
		pos += int(v)
	}
	if pos < 10 || len(y)-pos < 10 {
		return fmt.Errorf("model train: %d people, %d did %q: want at least 10 who did and 10 who did not", len(y), pos, *outcome)
	}
	classes := make([]string, len(y))
	for i, v := range y {
		classes[i] = fmt.Sprint(v)
	}
	trainIdx, testIdx := predict.StratifiedSplit(classes, 0.3, *seed)
	all := predict.DatasetFromRows(rows)
	trainSet, testSet := all.Subset(trainIdx), all.Subset(testIdx)
	f, err := predict.FitFeaturizer(trainSet)
	if err != nil {
		return fmt.Errorf("model train: %w", err)
	}
	xTrain, err := f.Transform(trainSet)
	if err != nil {
		return fmt.Errorf("model train: %w", err)
	}
	xTest, err := f.Transform(testSet)
	if err != nil {
		return fmt.Errorf("model train: %w", err)
	}
	pick := func(idx []int) []float64 {
		out := make([]float64, len(idx))
		for i, j := range idx {
			out[i] = y[j]
		}
		return out
	}
	yTrain, yTest := pick(trainIdx), pick(testIdx)
	var m predict.Model
	if *which == "logistic" {
		m, err = predict.TrainLogistic(xTrain, yTrain, f.Names, predict.LogisticOptions{})
	} else {
		m, err = predict.TrainBoosted(xTrain, yTrain, f.Names, predict.BoostedOptions{Seed: *seed})
	}
	if err != nil {
		return fmt.Errorf("model train: %w", err)
	}
	probs := make([]float64, xTest.Rows)
	for i := range probs {
		probs[i] = m.Predict(xTest.Row(i))
	}
	res := trainResult{Outcome: *outcome, Model: *which, AUC: predict.AUC(probs, yTest), LogLoss: predict.LogLoss(probs, yTest),
		PositiveRate: predict.PositiveRate(y), TrainRows: len(trainIdx), TestRows: len(testIdx), Features: f.Len()}
	body, err := json.Marshal(&predict.Conversion{Outcome: *outcome, Scorer: &predict.Scorer{Features: f, Model: m},
		AUC: res.AUC, TrainedAt: now})
	if err != nil {
		return fmt.Errorf("model train: encode: %w", err)
	}
	v, err := b.Store.PutModel(ctx, rapport.ModelVersion{Kind: rapport.ModelConversion, Body: body, Source: "rapport model train"})
	if err != nil {
		return fmt.Errorf("model train: %w", err)
	}
	res.Version, res.Seconds = v.Version, time.Since(start).Seconds()
	if err := json.NewEncoder(stdout).Encode(res); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "stored conversion model version %d; a running server serves it from its next score request\n", v.Version)
	return nil
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var (
	leadsTrain = filepath.Join("..", "..", "predict", "testdata", "leads_train.csv")
	leadsTest  = filepath.Join("..", "..", "predict", "testdata", "leads_test.csv")
)

// runModelArgs runs `rapport model ARGS...` in process.
func runModelArgs(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := runModel(context.Background(), args, &stdout, &stderr)
	return stdout.String(), err
}

// evalLines decodes the JSON lines of model eval.
func evalLines(t *testing.T, out string) []evalResult {
	t.Helper()
	var res []evalResult
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var r evalResult
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		res = append(res, r)
	}
	return res
}

func TestModelEval(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantModels []string
	}{
		{"both", []string{"--drop", "calls_after"}, []string{"logistic", "boosted"}},
		{"logistic", []string{"--drop", "calls_after", "--model", "logistic"}, []string{"logistic"}},
		{"boosted with seed", []string{"--drop", "calls_after", "--model", "boosted", "--seed", "5"}, []string{"boosted"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"eval", "--train", leadsTrain, "--test", leadsTest, "--target", "converted"}, tt.args...)
			out, err := runModelArgs(t, args...)
			if err != nil {
				t.Fatal(err)
			}
			res := evalLines(t, out)
			if len(res) != len(tt.wantModels) {
				t.Fatalf("got %d lines, want %d:\n%s", len(res), len(tt.wantModels), out)
			}
			for i, r := range res {
				if r.Model != tt.wantModels[i] || r.TrainRows != 300 || r.TestRows != 120 {
					t.Errorf("line %d: model %q rows %d/%d, want %q 300/120", i, r.Model, r.TrainRows, r.TestRows, tt.wantModels[i])
				}
				if r.AUC < 0.65 || r.AUC > 1 || r.LogLoss <= 0 || r.PositiveRate < 0.4 || r.PositiveRate > 0.6 {
					t.Errorf("line %d: implausible %+v", i, r)
				}
			}
		})
	}
}

func TestModelEvalPositive(t *testing.T) {
	out, err := runModelArgs(t, "eval", "--train", leadsTrain, "--test", leadsTest, "--target", "converted",
		"--drop", "calls_after", "--model", "logistic", "--positive", "no")
	if err != nil {
		t.Fatal(err)
	}
	r := evalLines(t, out)[0]
	if r.PositiveRate < 0.4 || r.PositiveRate > 0.6 {
		t.Errorf("positive rate %v with --positive no", r.PositiveRate)
	}
	yes, _ := runModelArgs(t, "eval", "--train", leadsTrain, "--test", leadsTest, "--target", "converted",
		"--drop", "calls_after", "--model", "logistic")
	if y := evalLines(t, yes)[0]; r.PositiveRate+y.PositiveRate < 0.999 || r.PositiveRate+y.PositiveRate > 1.001 {
		t.Errorf("positive rates with 'no' and 'yes' positive: %v and %v, want them to add up to 1", r.PositiveRate, y.PositiveRate)
	}
}

func TestModelErrors(t *testing.T) {
	base := []string{"eval", "--train", leadsTrain, "--test", leadsTest}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no subcommand", nil, "want 'model train', 'model eval'"},
		{"unknown subcommand", []string{"fit"}, `unknown subcommand "fit"`},
		{"no target", base, "--target"},
		{"unknown target", append(base, "--target", "nope"), `no target column "nope"`},
		{"unknown drop", append(base, "--target", "converted", "--drop", "nope"), `no column "nope"`},
		{"bad model", append(base, "--target", "converted", "--model", "forest"), `--model "forest"`},
		{"missing file", []string{"eval", "--train", "nope.csv", "--test", leadsTest, "--target", "converted"}, "nope.csv"},
		{"one class", append(base, "--target", "converted", "--positive", "never"), "same class"},
		{"split share", []string{"split", "--in", leadsTrain, "--train", "a", "--test", "b", "--target", "converted", "--test-share", "1"}, "--test-share"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := runModelArgs(t, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestModelSplit(t *testing.T) {
	dir := t.TempDir()
	train, test := filepath.Join(dir, "train.csv"), filepath.Join(dir, "test.csv")
	if _, err := runModelArgs(t, "split", "--in", leadsTrain, "--train", train, "--test", test,
		"--target", "converted", "--test-share", "0.3", "--seed", "1"); err != nil {
		t.Fatal(err)
	}
	counts := func(path string) (rows, yes int) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		if lines[0] != "plan,visits,country,signup_days,calls_after,converted" {
			t.Errorf("%s header %q, want the input's, comma-separated", path, lines[0])
		}
		for _, l := range lines[1:] {
			if strings.HasSuffix(l, ",yes") {
				yes++
			}
		}
		return len(lines) - 1, yes
	}
	trainRows, trainYes := counts(train)
	testRows, testYes := counts(test)
	// 133 "yes" and 167 "no" rows: round(0.3×133) = 40 and round(0.3×167) = 50 go to test.
	if trainRows != 210 || testRows != 90 || testYes != 40 || trainYes != 93 {
		t.Errorf("train %d rows (%d yes), test %d (%d yes); want 210 (93) and 90 (40)", trainRows, trainYes, testRows, testYes)
	}
	if _, err := runModelArgs(t, "eval", "--train", train, "--test", test, "--target", "converted", "--drop", "calls_after"); err != nil {
		t.Errorf("eval on the split: %v", err)
	}
}

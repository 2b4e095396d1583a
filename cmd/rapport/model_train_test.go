package main

import (
	"encoding/json"
	"net/http"
	"os/exec"
	"strings"
	"testing"
)

// TestModelTrainServesProbability trains a conversion model on the demo's
// stored people while the server runs, and reads a profile's score: it
// carries the probability of buying and the features behind it.
func TestModelTrainServesProbability(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process; skipped with -short")
	}
	data := t.TempDir()
	srv := startServer(t, "--data", data, "--demo")
	var leads struct {
		Total int
		Leads []struct{ ProfileID string }
	}
	waitAllApplied(t, srv)
	if adminGet(t, srv.URL+"/api/v1/leads?limit=1", &leads); leads.Total < 250 {
		t.Fatalf("%d leads after the demo, want at least 250", leads.Total)
	}
	out, err := exec.Command(rapportBinary(t), "model", "train", "--data", data).Output()
	if err != nil {
		t.Fatalf("model train: %v\n%s", err, out)
	}
	var res trainResult
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("model train printed %q: %v", out, err)
	}
	if res.Version != 1 || res.AUC < 0.6 || res.TrainRows+res.TestRows < 250 || res.Outcome != "Order Completed" {
		t.Fatalf("model train: %+v; want version 1 with a held-out AUC ≥ 0.6 on the demo's people", res)
	}
	var sc struct {
		Predicted *struct {
			Outcome      string
			Probability  float64
			ModelVersion int
			Top          []struct{ Feature string }
		}
	}
	if adminGet(t, srv.URL+"/api/v1/profiles/"+leads.Leads[0].ProfileID+"/score", &sc) != http.StatusOK || sc.Predicted == nil {
		t.Fatalf("score without a prediction: %+v", sc)
	}
	p := sc.Predicted
	if p.ModelVersion != 1 || p.Probability <= 0 || p.Probability >= 1 || len(p.Top) == 0 || strings.Contains(p.Top[0].Feature, "email") {
		t.Fatalf("prediction %+v", p)
	}

	out, err = exec.Command(rapportBinary(t), "model", "train", "--data", data, "--outcome", "Nothing Ever Happens").CombinedOutput()
	if err == nil || !strings.Contains(string(out), `did "Nothing Ever Happens": want at least 10`) {
		t.Fatalf("train on an outcome nobody did: %v\n%s", err, out)
	}
}

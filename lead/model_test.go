package lead_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/lead"
)

func TestModelRoundTrip(t *testing.T) {
	history, test := splitMarket(market(2, 3000))
	for _, kind := range []string{"logistic", "boosted"} {
		m, err := lead.Train(examples(history), lead.TrainOptions{Kind: kind, Answers: []string{"product", "credit"}, TestShare: 0.3, Seed: 2})
		if err != nil {
			t.Fatal(err)
		}
		if m.AUC < 0.65 {
			t.Errorf("%s: held-out AUC %.3f, want at least 0.65", kind, m.AUC)
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		back, err := lead.LoadModel(b)
		if err != nil {
			t.Fatal(err)
		}
		for i := range test[:200] {
			l, v := &test[i].lead, &test[i].vendor.v
			if p, q := m.Probability(l, v), back.Probability(l, v); math.Abs(p-q) > 1e-12 || p < 0 || p > 1 {
				t.Fatalf("%s: P %v before storing, %v after", kind, p, q)
			}
		}
	}
	if _, err := lead.Train(examples(history[:20]), lead.TrainOptions{}); rapport.ErrorCode(err) != rapport.EINVALID {
		t.Fatalf("training on 20 leads: %v, want EINVALID", err)
	}
	if _, err := lead.LoadModel([]byte(`{"kind":"logistic"}`)); err == nil {
		t.Fatal("LoadModel of a model without features succeeded")
	}
}

func TestProbabilityOfOddRows(t *testing.T) {
	history, _ := splitMarket(market(3, 2000))
	m, err := lead.Train(examples(history), lead.TrainOptions{Answers: []string{"product"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range []map[string]string{{}, {"engagement": "NaN", "vendor": "unknown"}, {"form_seconds_log": "1e400"}} {
		if p := m.ProbabilityRow(row); p < 0 || p > 1 || math.IsNaN(p) {
			t.Fatalf("P(%v) = %v", row, p)
		}
	}
}

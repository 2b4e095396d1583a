package predict

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestModelRoundTrip(t *testing.T) {
	x, y, names := synthetic(2000, 3, 8, xor)
	l, b := trainBoth(t, x, y, names)
	for _, m := range []Model{l, b} {
		data, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		back, err := LoadModel(data)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 50 {
			if got, want := back.Predict(x.Row(i)), m.Predict(x.Row(i)); got != want {
				t.Fatalf("%T row %d: loaded model predicts %v, want %v", m, i, got, want)
			}
		}
	}
}

func TestLoadModelRefuses(t *testing.T) {
	tests := []struct{ name, json, want string }{
		{"not json", `{`, "load model"},
		{"version", `{"version":2,"kind":"logistic","logistic":{}}`, "version 2"},
		{"kind", `{"version":1,"kind":"forest"}`, "unknown kind"},
		{"weights", `{"version":1,"kind":"logistic","logistic":{"names":["a"],"weights":[]}}`, "0 weights for 1 features"},
		{"cycle", `{"version":1,"kind":"boosted","boosted":{"names":["a"],"trees":[{"nodes":[{"f":0,"l":0,"r":0}]}]}}`, "malformed"},
		{"feature", `{"version":1,"kind":"boosted","boosted":{"names":["a"],"trees":[{"nodes":[{"f":3,"l":1,"r":2},{"f":-1},{"f":-1}]}]}}`, "malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadModel([]byte(tt.json))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestScorer(t *testing.T) {
	f, d := tinyFeaturizer(t)
	x, err := f.Transform(d)
	if err != nil {
		t.Fatal(err)
	}
	l, err := TrainLogistic(x, []float64{1, 0, 0, 1}, f.Names, LogisticOptions{})
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(&Scorer{Features: f, Model: l})
	if err != nil {
		t.Fatal(err)
	}
	var s Scorer
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	row := map[string]string{"age": "30", "job": "admin.", "visits": "3"}
	p, cs, err := s.Score(row, 2)
	if err != nil {
		t.Fatal(err)
	}
	if want := l.Predict(x.Row(0)); p != want {
		t.Errorf("score %v, want %v", p, want)
	}
	if len(cs) != 2 {
		t.Errorf("got %d contributions, want the top 2", len(cs))
	}
}

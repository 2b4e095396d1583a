package predict

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
)

// modelVersion is the version of the stored JSON; LoadModel refuses others.
const modelVersion = 1

// Model scores feature vectors made by the Featurizer it was trained with.
type Model interface {
	// Predict returns the probability of the positive class for x.
	Predict(x []float64) float64
	// Contributions explains Predict(x): per-feature contributions to the
	// log-odds, largest magnitude first (zero ones left out).
	Contributions(x []float64) []Contribution
	// MarshalJSON stores the model as versioned JSON that LoadModel reads.
	MarshalJSON() ([]byte, error)
}

// Contribution is one feature's part of a prediction, in log-odds.
type Contribution struct {
	Feature string  `json:"feature"`
	Value   float64 `json:"value"`
}

// sortContributions orders by magnitude, largest first, then by name.
func sortContributions(cs []Contribution) {
	sort.Slice(cs, func(a, b int) bool {
		ma, mb := math.Abs(cs[a].Value), math.Abs(cs[b].Value)
		if ma != mb {
			return ma > mb
		}
		return cs[a].Feature < cs[b].Feature
	})
}

// stored is the JSON envelope of a model.
type stored struct {
	Version  int           `json:"version"`
	Kind     string        `json:"kind"`
	Logistic *logisticJSON `json:"logistic,omitempty"`
	Boosted  *boostedJSON  `json:"boosted,omitempty"`
}

// logisticJSON and boostedJSON marshal without the models' MarshalJSON.
type (
	logisticJSON Logistic
	boostedJSON  Boosted
)

// MarshalJSON stores the model as {"version":1,"kind":"logistic",...}.
func (l *Logistic) MarshalJSON() ([]byte, error) {
	return json.Marshal(stored{Version: modelVersion, Kind: "logistic", Logistic: (*logisticJSON)(l)})
}

// MarshalJSON stores the model as {"version":1,"kind":"boosted",...}.
func (b *Boosted) MarshalJSON() ([]byte, error) {
	return json.Marshal(stored{Version: modelVersion, Kind: "boosted", Boosted: (*boostedJSON)(b)})
}

// LoadModel reads a model stored by its MarshalJSON and checks that it is
// whole (as many weights as names, tree nodes that point inside the tree).
func LoadModel(data []byte) (Model, error) {
	var s stored
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("load model: %w", err)
	}
	if s.Version != modelVersion {
		return nil, fmt.Errorf("load model: version %d, want %d", s.Version, modelVersion)
	}
	switch {
	case s.Kind == "logistic" && s.Logistic != nil:
		l := (*Logistic)(s.Logistic)
		if len(l.Weights) != len(l.Names) {
			return nil, fmt.Errorf("load model: %d weights for %d features", len(l.Weights), len(l.Names))
		}
		return l, nil
	case s.Kind == "boosted" && s.Boosted != nil:
		b := (*Boosted)(s.Boosted)
		if err := b.check(); err != nil {
			return nil, fmt.Errorf("load model: %w", err)
		}
		return b, nil
	}
	return nil, fmt.Errorf("load model: unknown kind %q or no body", s.Kind)
}

// Scorer pairs a model with the Featurizer it was trained with, so it scores
// rows of column values.
type Scorer struct {
	Features *Featurizer
	Model    Model
}

// Score returns the probability of the positive class for a row given as
// column name → value, and the k largest contributions (all when k ≤ 0).
func (s *Scorer) Score(row map[string]string, k int) (float64, []Contribution, error) {
	x, err := s.Features.Encode(row)
	if err != nil {
		return 0, nil, err
	}
	cs := s.Model.Contributions(x)
	if k > 0 && len(cs) > k {
		cs = cs[:k]
	}
	return s.Model.Predict(x), cs, nil
}

// scorerJSON is the stored form of a Scorer.
type scorerJSON struct {
	Version  int             `json:"version"`
	Features *Featurizer     `json:"features"`
	Model    json.RawMessage `json:"model"`
}

// MarshalJSON stores the featurizer and the model together.
func (s *Scorer) MarshalJSON() ([]byte, error) {
	m, err := s.Model.MarshalJSON()
	if err != nil {
		return nil, err
	}
	return json.Marshal(scorerJSON{Version: modelVersion, Features: s.Features, Model: m})
}

// UnmarshalJSON loads what MarshalJSON stored and checks that the model has
// one input per feature.
func (s *Scorer) UnmarshalJSON(data []byte) error {
	var j scorerJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return fmt.Errorf("load scorer: %w", err)
	}
	if j.Version != modelVersion || j.Features == nil {
		return errors.New("load scorer: wrong version or no features")
	}
	m, err := LoadModel(j.Model)
	if err != nil {
		return err
	}
	if n := modelInputs(m); n != j.Features.Len() {
		return fmt.Errorf("load scorer: model takes %d features, featurizer makes %d", n, j.Features.Len())
	}
	s.Features, s.Model = j.Features, m
	return nil
}

// modelInputs is the length of the vectors m takes.
func modelInputs(m Model) int {
	switch m := m.(type) {
	case *Logistic:
		return len(m.Names)
	case *Boosted:
		return len(m.Names)
	}
	return -1
}

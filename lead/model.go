package lead

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/predict"
)

// Estimator gives a lead's probability of conversion.
type Estimator interface {
	// Probability returns P(convert) for the lead bought from v (nil when
	// unknown), from 0 to 1.
	Probability(l *rapport.Lead, v *rapport.Vendor) float64
	// Name says what estimates, for the lead's value record.
	Name() string
}

// Model is a conversion model trained on leads whose outcome is known:
// P(convert | the lead's attributes, vendor, age, exclusivity, form
// signals, earlier inquiries). It is an Estimator.
type Model struct {
	Kind    string   `json:"kind"`
	Answers []string `json:"answers,omitempty"`
	// Rows and Positives are the training rows and conversions among them;
	// AUC is measured on the held-out share, when one was held out.
	Rows      int                 `json:"rows"`
	Positives int                 `json:"positives"`
	AUC       float64             `json:"auc,omitempty"`
	TestRows  int                 `json:"testRows,omitempty"`
	Features  *predict.Featurizer `json:"features"`
	Model     json.RawMessage     `json:"model"`
	model     predict.Model
}

// Example is a lead with its outcome, for training.
type Example struct {
	Lead      rapport.Lead
	Vendor    *rapport.Vendor
	Converted bool
}

// TrainOptions tune Train.
type TrainOptions struct {
	// Kind is logistic (the default: calibrated probabilities from little
	// data) or boosted.
	Kind string
	// Answers are the lead answers the model reads.
	Answers []string
	// TestShare is the share of examples held out, stratified, to measure
	// the AUC; 0 trains on all and measures nothing.
	TestShare float64
	Seed      uint64
	// Drop leaves columns of Row out, e.g. the earlier_* columns to see
	// what duplicates add.
	Drop []string
}

// minExamples is the fewest examples, and conversions, a model is
// trained on; fewer say too little to beat the prior.
const minExamples = 50

// Train fits a conversion model on examples.
func Train(examples []Example, opts TrainOptions) (*Model, error) {
	rows := make([]map[string]string, len(examples))
	y := make([]float64, len(examples))
	for i := range examples {
		rows[i] = Row(&examples[i].Lead, examples[i].Vendor, opts.Answers)
		if examples[i].Converted {
			y[i] = 1
		}
	}
	return TrainRows(rows, y, opts)
}

// TrainRows fits a conversion model on feature rows (as Row makes them)
// and 0/1 outcomes.
func TrainRows(rows []map[string]string, y []float64, opts TrainOptions) (*Model, error) {
	pos := int(predict.PositiveRate(y)*float64(len(y)) + 0.5)
	if len(rows) < minExamples || pos < 5 || pos > len(rows)-5 {
		return nil, rapport.Errorf(rapport.EINVALID, "train lead model: %d leads with %d conversions; need %d leads and 5 of each outcome", len(rows), pos, minExamples)
	}
	d := dataset(rows, opts.Drop)
	train, test := allIndexes(len(rows)), []int(nil)
	if opts.TestShare > 0 {
		train, test = predict.StratifiedSplit(classes(y), opts.TestShare, opts.Seed)
	}
	feats, err := predict.FitFeaturizer(d.Subset(train))
	if err != nil {
		return nil, fmt.Errorf("train lead model: %w", err)
	}
	m := &Model{Kind: opts.Kind, Answers: opts.Answers, Rows: len(train), Features: feats}
	if m.Kind == "" {
		m.Kind = "logistic"
	}
	if err := m.fit(d, y, train, opts.Seed); err != nil {
		return nil, err
	}
	for _, i := range train {
		m.Positives += int(y[i])
	}
	if len(test) > 0 {
		m.TestRows = len(test)
		m.AUC = m.auc(d.Subset(test), pick(y, test))
	}
	return m, nil
}

// fit trains the model on the rows train of d.
func (m *Model) fit(d *predict.Dataset, y []float64, train []int, seed uint64) error {
	x, err := m.Features.Transform(d.Subset(train))
	if err != nil {
		return fmt.Errorf("train lead model: %w", err)
	}
	switch m.Kind {
	case "logistic":
		m.model, err = predict.TrainLogistic(x, pick(y, train), m.Features.Names, predict.LogisticOptions{})
	case "boosted":
		m.model, err = predict.TrainBoosted(x, pick(y, train), m.Features.Names, predict.BoostedOptions{Seed: seed})
	default:
		return rapport.Errorf(rapport.EINVALID, "train lead model: kind %q: want logistic or boosted", m.Kind)
	}
	if err != nil {
		return fmt.Errorf("train lead model: %w", err)
	}
	m.Model, err = m.model.MarshalJSON()
	return err
}

// auc measures the model on d's rows.
func (m *Model) auc(d *predict.Dataset, y []float64) float64 {
	x, err := m.Features.Transform(d)
	if err != nil {
		return 0
	}
	p := make([]float64, x.Rows)
	for i := range p {
		p[i] = m.model.Predict(x.Row(i))
	}
	return predict.AUC(p, y)
}

// LoadModel reads a model stored as JSON.
func LoadModel(data []byte) (*Model, error) {
	m := &Model{}
	if err := json.Unmarshal(data, m); err != nil {
		return nil, fmt.Errorf("load lead model: %w", err)
	}
	if m.Features == nil {
		return nil, errors.New("load lead model: no features")
	}
	inner, err := predict.LoadModel(m.Model)
	if err != nil {
		return nil, fmt.Errorf("load lead model: %w", err)
	}
	m.model = inner
	return m, nil
}

// Probability implements Estimator.
func (m *Model) Probability(l *rapport.Lead, v *rapport.Vendor) float64 {
	return m.ProbabilityRow(Row(l, v, m.Answers))
}

// ProbabilityRow returns P(convert) for a feature row; a value the model
// cannot read counts as missing.
func (m *Model) ProbabilityRow(row map[string]string) float64 {
	for _, c := range m.Features.Columns {
		if c.Kind == predict.Numeric {
			if f, err := strconv.ParseFloat(row[c.Name], 64); err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
				row[c.Name] = ""
			}
		}
	}
	x, err := m.Features.Encode(row)
	if err != nil {
		return 0
	}
	return m.model.Predict(x)
}

// Name implements Estimator.
func (m *Model) Name() string { return "lead model (" + m.Kind + ")" }

// dataset turns feature rows into a predict.Dataset: one column per key
// any row has (less drop), numeric when it is a numeric feature or every
// value given parses as a number.
func dataset(rows []map[string]string, drop []string) *predict.Dataset {
	seen := map[string]bool{}
	var names []string
	for _, r := range rows {
		for k := range r {
			if !seen[k] && !slices.Contains(drop, k) {
				seen[k] = true
				names = append(names, k)
			}
		}
	}
	slices.Sort(names)
	d := &predict.Dataset{Lines: allIndexes(len(rows))}
	for _, name := range names {
		c := &predict.Column{Name: name, Values: make([]string, len(rows))}
		for i, r := range rows {
			c.Values[i] = r[name]
		}
		c.Kind = kindOf(name, c.Values)
		d.Columns = append(d.Columns, c)
	}
	return d
}

func kindOf(name string, values []string) predict.Kind {
	if numericColumns[name] {
		return predict.Numeric
	}
	found := false
	for _, v := range values {
		if predict.IsMissing(v) {
			continue
		}
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return predict.Categorical
		}
		found = true
	}
	if found {
		return predict.Numeric
	}
	return predict.Categorical
}

func allIndexes(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}

func classes(y []float64) []string {
	c := make([]string, len(y))
	for i, v := range y {
		c[i] = strconv.Itoa(int(v))
	}
	return c
}

func pick(v []float64, idx []int) []float64 {
	out := make([]float64, len(idx))
	for k, i := range idx {
		out[k] = v[i]
	}
	return out
}

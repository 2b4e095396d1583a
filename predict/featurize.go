package predict

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// Featurizer turns a row's column values into a feature vector: numeric
// columns standardised with the training mean and standard deviation (a
// missing value becomes the mean, plus a missing-indicator feature when the
// training data had any), categorical columns one-hot over the categories
// seen in training (an unseen, rare or missing category is all zeros; see
// MaxCategories).
type Featurizer struct {
	Columns []FeatureColumn `json:"columns"`
	// Names are the feature names, in vector order: "age", "age=missing",
	// "job=admin.".
	Names []string `json:"names"`
}

// FeatureColumn is how one input column becomes features.
type FeatureColumn struct {
	Name       string   `json:"name"`
	Kind       Kind     `json:"kind"`
	Mean       float64  `json:"mean,omitempty"`
	Scale      float64  `json:"scale,omitempty"`
	Missing    bool     `json:"missing,omitempty"`
	Categories []string `json:"categories,omitempty"`
	// Offset is the index of the column's first feature.
	Offset int `json:"offset"`
}

// Matrix is a dense, row-major table of features.
type Matrix struct {
	Rows, Cols int
	Data       []float64
}

// Row returns row i (sharing storage).
func (m *Matrix) Row(i int) []float64 { return m.Data[i*m.Cols : (i+1)*m.Cols] }

// FitFeaturizer learns the features of every column of d.
func FitFeaturizer(d *Dataset) (*Featurizer, error) {
	if len(d.Columns) == 0 {
		return nil, errors.New("fit features: no columns")
	}
	f := &Featurizer{}
	for _, c := range d.Columns {
		fc := FeatureColumn{Name: c.Name, Kind: c.Kind, Offset: len(f.Names)}
		if c.Kind == Numeric {
			fitNumeric(&fc, c.Values)
			f.Names = append(f.Names, c.Name)
			if fc.Missing {
				f.Names = append(f.Names, c.Name+"=missing")
			}
		} else {
			fitCategorical(&fc, c.Values)
			for _, v := range fc.Categories {
				f.Names = append(f.Names, c.Name+"="+v)
			}
		}
		f.Columns = append(f.Columns, fc)
	}
	return f, nil
}

// fitNumeric sets the mean, scale and missing flag of a numeric column.
func fitNumeric(fc *FeatureColumn, values []string) {
	var n, mean, m2 float64
	for _, v := range values {
		x, ok := parseNumber(v)
		if !ok {
			fc.Missing = true
			continue
		}
		n++
		d := x - mean
		mean += d / n
		m2 += d * (x - mean)
	}
	fc.Mean, fc.Scale = mean, 1
	if sd := math.Sqrt(m2 / n); n > 0 && sd > 0 && !math.IsInf(sd, 0) {
		fc.Scale = sd
	}
}

// MaxCategories bounds the one-hot features of a column: only its most
// frequent categories in training get one (ties broken by name); rarer ones
// are encoded like unseen ones, as all zeros. It keeps an identifier column
// from making a feature per row.
const MaxCategories = 100

// fitCategorical lists the categories of a column, at most MaxCategories of
// the most frequent, sorted.
func fitCategorical(fc *FeatureColumn, values []string) {
	count := map[string]int{}
	for _, v := range values {
		if !IsMissing(v) {
			count[v]++
		}
	}
	for v := range count {
		fc.Categories = append(fc.Categories, v)
	}
	sort.Slice(fc.Categories, func(a, b int) bool {
		ca, cb := count[fc.Categories[a]], count[fc.Categories[b]]
		return ca > cb || (ca == cb && fc.Categories[a] < fc.Categories[b])
	})
	if len(fc.Categories) > MaxCategories {
		fc.Categories = fc.Categories[:MaxCategories]
	}
	sort.Strings(fc.Categories)
}

// Len is the number of features.
func (f *Featurizer) Len() int { return len(f.Names) }

// Transform encodes every row of d. d must have every column f was fitted
// on (others are ignored); a value that is not a number in a numeric column
// is an error naming its line and column.
func (f *Featurizer) Transform(d *Dataset) (*Matrix, error) {
	m := &Matrix{Rows: d.Len(), Cols: f.Len(), Data: make([]float64, d.Len()*f.Len())}
	for k := range f.Columns {
		fc := &f.Columns[k]
		c := d.Column(fc.Name)
		if c == nil {
			return nil, fmt.Errorf("encode features: no column %q", fc.Name)
		}
		for i, v := range c.Values {
			if err := fc.encode(v, m.Row(i)); err != nil {
				return nil, fmt.Errorf("encode features: line %d, column %q: %w", d.Lines[i], fc.Name, err)
			}
		}
	}
	return m, nil
}

// Encode encodes one row given as column name → value; a column absent from
// the map counts as missing.
func (f *Featurizer) Encode(row map[string]string) ([]float64, error) {
	x := make([]float64, f.Len())
	for k := range f.Columns {
		fc := &f.Columns[k]
		if err := fc.encode(row[fc.Name], x); err != nil {
			return nil, fmt.Errorf("encode features: column %q: %w", fc.Name, err)
		}
	}
	return x, nil
}

// encode writes the column's features of value v into x.
func (fc *FeatureColumn) encode(v string, x []float64) error {
	if fc.Kind == Categorical {
		if i := sort.SearchStrings(fc.Categories, v); i < len(fc.Categories) && fc.Categories[i] == v {
			x[fc.Offset+i] = 1
		}
		return nil
	}
	if IsMissing(v) {
		x[fc.Offset] = 0
		if fc.Missing {
			x[fc.Offset+1] = 1
		}
		return nil
	}
	n, ok := parseNumber(v)
	if !ok {
		return fmt.Errorf("%q is not a number", v)
	}
	x[fc.Offset] = (n - fc.Mean) / fc.Scale
	return nil
}

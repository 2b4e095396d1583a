package predict

import (
	"fmt"
	"math"
)

// Boosted is a gradient-boosted ensemble of regression trees for the binary
// log-loss: the log-odds of a row is Base plus the sum of the trees' outputs.
type Boosted struct {
	Names []string `json:"names"`
	Base  float64  `json:"base"`
	Trees []Tree   `json:"trees"`
}

// BoostedOptions tunes TrainBoosted; zero fields take the defaults named,
// close to scikit-learn's HistGradientBoostingClassifier.
type BoostedOptions struct {
	LearningRate float64 // 0.1
	MaxIter      int     // 200 trees at most
	MaxLeaves    int     // 31 leaves per tree
	MaxDepth     int     // 0: depth not limited
	MinLeaf      int     // 20 rows per leaf at least
	L2           float64 // λ on leaf values, 1; negative means none
	MaxBins      int     // 255 quantile bins per feature (at most 256)
	// Validation is the share of the training rows held out, stratified,
	// to stop early once the held-out loss has not improved for Patience
	// trees (the trees after the best one are dropped). Zero means 0.1 with
	// 1,000 rows or more and no early stopping below; negative means never.
	// (scikit-learn's "auto" starts at 10,000 rows; on a few thousand rows
	// its 100 unchecked trees overfit, see docs/benchmarks.md.)
	Validation float64
	Patience   int    // 10
	Seed       uint64 // seeds the validation split
}

func (o *BoostedOptions) defaults(rows int) {
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	defInt := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.LearningRate, 0.1)
	def(&o.L2, 1)
	o.L2 = math.Max(o.L2, 0)
	defInt(&o.MaxIter, 200)
	defInt(&o.MaxLeaves, 31)
	defInt(&o.MinLeaf, 20)
	defInt(&o.MaxBins, 255)
	defInt(&o.Patience, 10)
	o.MaxBins = min(o.MaxBins, 256)
	if o.Validation == 0 && rows >= 1_000 {
		o.Validation = 0.1
	}
}

// TrainBoosted fits boosted trees to 0/1 labels y on x. Each feature is
// binned into quantile bins on the training rows; each tree is grown leaf by
// leaf, always splitting the leaf whose best split gains most, from
// gradient/hessian histograms. The result depends only on the data and
// opts.Seed.
func TrainBoosted(x *Matrix, y []float64, names []string, opts BoostedOptions) (*Boosted, error) {
	if x.Rows == 0 || x.Rows != len(y) || len(names) != x.Cols {
		return nil, fmt.Errorf("train boosted: %d rows, %d labels, %d columns, %d names", x.Rows, len(y), x.Cols, len(names))
	}
	opts.defaults(x.Rows)
	fit, val := allRows(x.Rows), []int(nil)
	if opts.Validation > 0 {
		fit, val = StratifiedSplit(labelClasses(y), opts.Validation, opts.Seed)
	}
	yFit, yVal := pick(y, fit), pick(y, val)
	m := &Boosted{Names: names, Base: logit(PositiveRate(yFit))}
	raw, rawVal := filled(len(fit), m.Base), filled(len(val), m.Base)
	g, h := make([]float64, len(fit)), make([]float64, len(fit))
	gr := newGrower(binRows(x, fit, opts.MaxBins), &opts)
	best, bestLoss := 0, math.Inf(1)
	for it := range opts.MaxIter {
		for i, z := range raw {
			p := sigmoid(z)
			g[i], h[i] = p-yFit[i], p*(1-p)
		}
		t := gr.grow(g, h, raw)
		m.Trees = append(m.Trees, t)
		if len(val) == 0 {
			continue
		}
		for k, i := range val {
			rawVal[k] += t.predict(x.Row(i))
		}
		if loss := rawLogLoss(rawVal, yVal); loss < bestLoss-1e-7 {
			best, bestLoss = it, loss
		} else if it-best >= opts.Patience {
			break
		}
	}
	if len(val) > 0 {
		m.Trees = m.Trees[:best+1]
	}
	return m, nil
}

func allRows(n int) []int {
	r := make([]int, n)
	for i := range r {
		r[i] = i
	}
	return r
}

func pick(v []float64, idx []int) []float64 {
	out := make([]float64, len(idx))
	for k, i := range idx {
		out[k] = v[i]
	}
	return out
}

func filled(n int, v float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// rawLogLoss is the mean log-loss of log-odds z against labels y.
func rawLogLoss(z, y []float64) float64 {
	s := 0.0
	for i, v := range z {
		s += math.Max(v, 0) + math.Log1p(math.Exp(-math.Abs(v))) - y[i]*v
	}
	return s / float64(len(z))
}

// Predict returns the probability of the positive class for x.
func (b *Boosted) Predict(x []float64) float64 {
	z := b.Base
	for i := range b.Trees {
		z += b.Trees[i].predict(x)
	}
	return sigmoid(z)
}

// Contributions attributes the log-odds of x to features by following x
// down every tree and crediting each split's feature with the change of
// node value it makes (Saabas' method). The log-odds is the sum of the
// contributions plus Bias(). For a one-hot feature such as "job=admin." a
// contribution may come from the row not being in that category.
func (b *Boosted) Contributions(x []float64) []Contribution {
	contrib := make([]float64, len(b.Names))
	for i := range b.Trees {
		b.Trees[i].attribute(x, contrib)
	}
	var cs []Contribution
	for f, c := range contrib {
		if c != 0 {
			cs = append(cs, Contribution{Feature: b.Names[f], Value: c})
		}
	}
	sortContributions(cs)
	return cs
}

// Bias is the part of every row's log-odds that no feature explains: Base
// plus the root values of the trees.
func (b *Boosted) Bias() float64 {
	z := b.Base
	for i := range b.Trees {
		z += b.Trees[i].Nodes[0].Value
	}
	return z
}

// Importance returns each feature's total split gain over all trees,
// largest first: which features the model relies on overall.
func (b *Boosted) Importance() []Contribution {
	gain := make([]float64, len(b.Names))
	for _, t := range b.Trees {
		for _, n := range t.Nodes {
			if n.Feature >= 0 {
				gain[n.Feature] += n.Gain
			}
		}
	}
	var cs []Contribution
	for f, g := range gain {
		if g > 0 {
			cs = append(cs, Contribution{Feature: b.Names[f], Value: g})
		}
	}
	sortContributions(cs)
	return cs
}

// check refuses trees whose nodes point outside the tree or backwards, or
// split on a feature the model does not have.
func (b *Boosted) check() error {
	for ti, t := range b.Trees {
		if len(t.Nodes) == 0 {
			return fmt.Errorf("tree %d has no nodes", ti)
		}
		for ni, n := range t.Nodes {
			if n.Feature < 0 {
				continue
			}
			if n.Feature >= len(b.Names) || n.Left <= ni || n.Right <= ni || n.Left >= len(t.Nodes) || n.Right >= len(t.Nodes) {
				return fmt.Errorf("tree %d node %d is malformed", ti, ni)
			}
		}
	}
	return nil
}

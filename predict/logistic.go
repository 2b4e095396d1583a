package predict

import (
	"errors"
	"fmt"
	"math"
)

// Logistic is an L2-regularised logistic regression on feature vectors.
type Logistic struct {
	Names     []string  `json:"names"`
	Weights   []float64 `json:"weights"`
	Intercept float64   `json:"intercept"`
	// Iterations is the number of Newton steps training took.
	Iterations int `json:"iterations"`
}

// maxLogisticFeatures bounds the dense Hessian (p² values, n·p² work a step).
const maxLogisticFeatures = 2000

// LogisticOptions tunes TrainLogistic.
type LogisticOptions struct {
	// L2 is λ in Σ log-loss + λ/2·‖w‖² (the intercept is not penalised);
	// 1 when zero, the same as scikit-learn's C = 1. Negative means none.
	L2 float64
	// MaxIter bounds the Newton steps; 100 when zero.
	MaxIter int
	// Tol stops training once no weight moves by more than it; 1e-8 when
	// zero.
	Tol float64
}

func (o *LogisticOptions) defaults() {
	if o.L2 == 0 {
		o.L2 = 1
	}
	if o.L2 < 0 {
		o.L2 = 0
	}
	if o.MaxIter == 0 {
		o.MaxIter = 100
	}
	if o.Tol == 0 {
		o.Tol = 1e-8
	}
}

// TrainLogistic fits a logistic regression of 0/1 labels y on x by Newton's
// method (the Hessian is small and dense: one Cholesky solve per step), with
// a backtracking line search. It is deterministic.
func TrainLogistic(x *Matrix, y []float64, names []string, opts LogisticOptions) (*Logistic, error) {
	opts.defaults()
	if x.Rows == 0 || x.Rows != len(y) || len(names) != x.Cols {
		return nil, fmt.Errorf("train logistic: %d rows, %d labels, %d columns, %d names", x.Rows, len(y), x.Cols, len(names))
	}
	if x.Cols > maxLogisticFeatures {
		return nil, fmt.Errorf("train logistic: %d features, at most %d for Newton's method: drop some columns", x.Cols, maxLogisticFeatures)
	}
	p := x.Cols + 1 // θ[0] is the intercept
	theta := make([]float64, p)
	theta[0] = logit(PositiveRate(y))
	obj := logisticObjective(x, y, theta, opts.L2)
	it := 0
	for ; it < opts.MaxIter; it++ {
		grad, hess := logisticDerivatives(x, y, theta, opts.L2)
		step, err := choleskySolve(hess, grad, p)
		if err != nil {
			return nil, fmt.Errorf("train logistic: step %d: %w", it+1, err)
		}
		next, nextObj := lineSearch(x, y, theta, step, obj, opts.L2)
		moved := maxAbsDiff(theta, next)
		theta, obj = next, nextObj
		if moved < opts.Tol {
			break
		}
	}
	return &Logistic{Names: names, Weights: theta[1:], Intercept: theta[0], Iterations: it + 1}, nil
}

// logit is the log-odds of p, kept finite.
func logit(p float64) float64 {
	p = math.Min(math.Max(p, 1e-6), 1-1e-6)
	return math.Log(p / (1 - p))
}

// margin is θ[0] + Σ θ[j+1]·row[j].
func margin(theta, row []float64) float64 {
	z := theta[0]
	for j, v := range row {
		z += theta[j+1] * v
	}
	return z
}

// logisticObjective is Σ log-loss + λ/2·‖w‖².
func logisticObjective(x *Matrix, y, theta []float64, l2 float64) float64 {
	s := 0.0
	for i := 0; i < x.Rows; i++ {
		z := margin(theta, x.Row(i))
		// log(1+e^z) − y·z, stable for large |z|.
		s += math.Max(z, 0) + math.Log1p(math.Exp(-math.Abs(z))) - y[i]*z
	}
	for _, w := range theta[1:] {
		s += l2 / 2 * w * w
	}
	return s
}

// logisticDerivatives returns the gradient and the Hessian (p×p, row-major,
// lower triangle filled) of the objective at theta.
func logisticDerivatives(x *Matrix, y, theta []float64, l2 float64) (grad, hess []float64) {
	p := len(theta)
	grad = make([]float64, p)
	hess = make([]float64, p*p)
	xi := make([]float64, p)
	xi[0] = 1
	for i := 0; i < x.Rows; i++ {
		copy(xi[1:], x.Row(i))
		mu := sigmoid(margin(theta, x.Row(i)))
		r, w := mu-y[i], mu*(1-mu)
		for a := 0; a < p; a++ {
			if xi[a] == 0 {
				continue // one-hot columns are mostly zero
			}
			grad[a] += r * xi[a]
			wa := w * xi[a]
			row := hess[a*p : a*p+a+1]
			for b := range row {
				row[b] += wa * xi[b]
			}
		}
	}
	for a := 1; a < p; a++ {
		grad[a] += l2 * theta[a]
		hess[a*p+a] += l2
	}
	hess[0] += 1e-10 // keeps the system definite when every row is certain
	return grad, hess
}

// lineSearch halves the Newton step until the objective does not increase.
func lineSearch(x *Matrix, y, theta, step []float64, obj, l2 float64) ([]float64, float64) {
	next := make([]float64, len(theta))
	t := 1.0
	for range 30 {
		for j := range theta {
			next[j] = theta[j] - t*step[j]
		}
		if o := logisticObjective(x, y, next, l2); o <= obj {
			return next, o
		}
		t /= 2
	}
	return theta, obj
}

func maxAbsDiff(a, b []float64) float64 {
	m := 0.0
	for i := range a {
		m = math.Max(m, math.Abs(a[i]-b[i]))
	}
	return m
}

// choleskySolve solves A·s = b for a symmetric positive-definite A given by
// its lower triangle (n×n, row-major; A is overwritten).
func choleskySolve(a, b []float64, n int) ([]float64, error) {
	for j := 0; j < n; j++ {
		d := a[j*n+j]
		for k := 0; k < j; k++ {
			d -= a[j*n+k] * a[j*n+k]
		}
		if d <= 0 || math.IsNaN(d) {
			return nil, errors.New("hessian is not positive definite")
		}
		d = math.Sqrt(d)
		a[j*n+j] = d
		for i := j + 1; i < n; i++ {
			s := a[i*n+j]
			for k := 0; k < j; k++ {
				s -= a[i*n+k] * a[j*n+k]
			}
			a[i*n+j] = s / d
		}
	}
	s := make([]float64, n)
	for i := 0; i < n; i++ { // L·u = b
		v := b[i]
		for k := 0; k < i; k++ {
			v -= a[i*n+k] * s[k]
		}
		s[i] = v / a[i*n+i]
	}
	for i := n - 1; i >= 0; i-- { // Lᵀ·s = u
		v := s[i]
		for k := i + 1; k < n; k++ {
			v -= a[k*n+i] * s[k]
		}
		s[i] = v / a[i*n+i]
	}
	return s, nil
}

// Predict returns the probability of the positive class for x.
func (l *Logistic) Predict(x []float64) float64 {
	z := l.Intercept
	for j, w := range l.Weights {
		z += w * x[j]
	}
	return sigmoid(z)
}

// Contributions returns weight × value for every feature that is not zero
// in x, in log-odds, largest magnitude first.
func (l *Logistic) Contributions(x []float64) []Contribution {
	var cs []Contribution
	for j, w := range l.Weights {
		if c := w * x[j]; c != 0 {
			cs = append(cs, Contribution{Feature: l.Names[j], Value: c})
		}
	}
	sortContributions(cs)
	return cs
}

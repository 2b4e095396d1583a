package clv

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/optimize"
)

// objective computes a function to minimise at x and stores its gradient in
// grad.
type objective func(x, grad []float64) float64

// minimum is where minimise stopped.
type minimum struct {
	X          []float64
	F          float64
	Iterations int
	Converged  bool
}

// Convergence thresholds on the infinity norm of the gradient of f/n.
const (
	// gradTol stops the optimiser.
	gradTol = 1e-9
	// gradConverged is the largest gradient a fit is called converged at
	// when the line search stopped first: near the optimum, steps change
	// f/n by less than its rounding error, and the search can fail there.
	gradConverged = 1e-6
)

// minimise finds a minimum of f, a sum of n terms, by BFGS from x0. It
// minimises f/n, whose size does not grow with the data, so that one
// gradient threshold suits any n. The models' parameters are positive, so
// their fits minimise over the logs of the parameters: every point is then a
// valid model and the problem is unconstrained.
func minimise(f objective, x0 []float64, n int) (minimum, error) {
	m := &memo{f: f, scale: 1 / float64(n)}
	prob := optimize.Problem{Func: m.value, Grad: m.gradient}
	settings := &optimize.Settings{
		GradientThreshold: gradTol,
		MajorIterations:   1000,
		Converger:         &optimize.FunctionConverge{Absolute: 1e-15, Relative: 1e-15, Iterations: 20},
	}
	res, err := optimize.Minimize(prob, x0, settings, &optimize.BFGS{})
	if res == nil {
		return minimum{}, fmt.Errorf("minimise: %w", err)
	}
	if math.IsNaN(res.F) || math.IsInf(res.F, 0) {
		return minimum{}, errors.New("minimise: the likelihood is not finite at the optimum")
	}
	converged := (err == nil && !res.Status.Early()) || normInf(res.Gradient) <= gradConverged
	return minimum{X: res.X, F: res.F * float64(n), Iterations: res.MajorIterations, Converged: converged}, nil
}

// Shape parameters (unitless, unlike alpha and gamma, which scale with the
// period or the currency) outside [minShape, maxShape] mean the likelihood
// kept rising towards the edge of the parameter space: the data do not
// identify the model, and a fit that stops there has not converged.
const (
	minShape = 1e-5
	maxShape = 1e5
)

// interior reports whether every shape parameter is inside
// [minShape, maxShape].
func interior(shapes ...float64) bool {
	for _, v := range shapes {
		if !(v >= minShape && v <= maxShape) {
			return false
		}
	}
	return true
}

// normInf is the largest absolute value in v.
func normInf(v []float64) float64 {
	largest := 0.0
	for _, x := range v {
		largest = max(largest, math.Abs(x))
	}
	return largest
}

// memo computes the value and the gradient in one pass and keeps both, since
// the optimiser asks for them separately at the same point.
type memo struct {
	f     objective
	scale float64 // multiplies the value and the gradient
	x     []float64
	val   float64
	grad  []float64
}

// eval computes f at x unless x is the last point.
func (m *memo) eval(x []float64) {
	if m.x != nil && slices.Equal(m.x, x) {
		return
	}
	m.x = append(m.x[:0], x...)
	if m.grad == nil {
		m.grad = make([]float64, len(x))
	}
	m.val = m.f(x, m.grad) * m.scale
	for i := range m.grad {
		m.grad[i] *= m.scale
	}
	if math.IsNaN(m.val) || slices.ContainsFunc(m.grad, math.IsNaN) {
		// Outside the region where the terms are finite: tell the line
		// search the step went too far, and keep NaN out of its arithmetic.
		m.val = math.Inf(1)
		clear(m.grad)
	}
}

func (m *memo) value(x []float64) float64 {
	m.eval(x)
	return m.val
}

func (m *memo) gradient(grad, x []float64) {
	m.eval(x)
	copy(grad, m.grad)
}

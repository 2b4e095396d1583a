package clv

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"
)

// GammaGammaFit is a Gamma-Gamma model fitted by maximum likelihood.
type GammaGammaFit struct {
	GammaGamma
	LogLik float64 `json:"loglik"`
	// Customers counts the customers the fit used: those with at least one
	// repeat purchase and a positive mean repeat value.
	Customers  int  `json:"customers"`
	Iterations int  `json:"iterations"`
	Converged  bool `json:"converged"`
}

// FitGammaGamma estimates p, q, gamma from the mean repeat-purchase values
// of the customers with X >= 1 (the first purchase is left out, as in the
// paper), by BFGS over the logs of the parameters from p = q = gamma = 1.
// It fails when no customer has a positive mean repeat value. A fit is
// returned with Converged false when the optimiser stopped early, or when p
// or q ran off outside [1e-5, 1e5], as they do when every customer spends
// the same: the data then do not identify the model.
func FitGammaGamma(cs []Customer) (GammaGammaFit, error) {
	var x, mx []float64
	for _, c := range cs {
		if spends(c) {
			x = append(x, float64(c.X))
			mx = append(mx, c.Value)
		}
	}
	if len(x) == 0 {
		return GammaGammaFit{}, errors.New("fit gamma-gamma: no customer with a repeat purchase of positive value")
	}
	d := ggData{x: x, mx: mx}
	best, err := minimise(d.negLogLik, make([]float64, 3), len(x))
	if err != nil {
		return GammaGammaFit{}, fmt.Errorf("fit gamma-gamma: %w", err)
	}
	m := GammaGamma{P: math.Exp(best.X[0]), Q: math.Exp(best.X[1]), Gamma: math.Exp(best.X[2])}
	return GammaGammaFit{
		GammaGamma: m,
		LogLik:     -best.F,
		Customers:  len(x),
		Iterations: best.Iterations,
		Converged:  best.Converged && interior(m.P, m.Q),
	}, nil
}

// ggData holds the (x, mean value) pairs of the customers a fit uses.
type ggData struct{ x, mx []float64 }

// negLogLik is minus the log-likelihood at the logs of (p, q, gamma) and its
// gradient with respect to those logs.
func (d ggData) negLogLik(v, grad []float64) float64 {
	m := GammaGamma{P: math.Exp(v[0]), Q: math.Exp(v[1]), Gamma: math.Exp(v[2])}
	p, q, g := m.P, m.Q, m.Gamma
	ll, dp, dq, dg := 0.0, 0.0, 0.0, 0.0
	psiQ, lnG := mathext.Digamma(q), math.Log(g)
	for i, x := range d.x {
		mx := d.mx[i]
		px := p * x
		psiPXQ := mathext.Digamma(px + q)
		lnS := math.Log(g + mx*x)
		ll += m.customerLogLikelihood(x, mx)
		dp += x * (psiPXQ - mathext.Digamma(px) + math.Log(mx) + math.Log(x) - lnS)
		dq += psiPXQ - psiQ + lnG - lnS
		dg += q/g - (px+q)/(g+mx*x)
	}
	grad[0], grad[1], grad[2] = -p*dp, -q*dq, -g*dg
	return -ll
}

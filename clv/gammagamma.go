package clv

import (
	"fmt"
	"math"
)

// GammaGamma holds the parameters of the Gamma-Gamma spend model (Colombo &
// Jiang 1999; Fader, Hardie & Lee 2005, "RFM and CLV"). A customer's
// purchase amounts are Gamma(P, nu) with a rate nu drawn from Gamma(Q,
// Gamma) across customers, independent of how often they buy.
type GammaGamma struct {
	P     float64 `json:"p"`
	Q     float64 `json:"q"`
	Gamma float64 `json:"gamma"`
}

// Validate reports whether every parameter is a positive finite number.
func (m GammaGamma) Validate() error {
	for _, p := range []struct {
		name string
		v    float64
	}{{"p", m.P}, {"q", m.Q}, {"gamma", m.Gamma}} {
		if !(p.v > 0) || math.IsInf(p.v, 0) {
			return fmt.Errorf("gamma-gamma: %s = %v, want a positive finite number", p.name, p.v)
		}
	}
	return nil
}

// LogLikelihood is the log-likelihood of the mean repeat-purchase values of
// the customers with X >= 1 and a positive Value; the others carry no
// information on spend and are skipped.
func (m GammaGamma) LogLikelihood(cs []Customer) float64 {
	ll := 0.0
	for _, c := range cs {
		if spends(c) {
			ll += m.customerLogLikelihood(float64(c.X), c.Value)
		}
	}
	return ll
}

// customerLogLikelihood is the log density of the mean mx of x purchases:
// Γ(px+q)/(Γ(px)Γ(q)) γ^q mx^(px-1) x^(px) / (γ + mx x)^(px+q).
func (m GammaGamma) customerLogLikelihood(x, mx float64) float64 {
	p, q, g := m.P, m.Q, m.Gamma
	px := p * x
	return lgamma(px+q) - lgamma(px) - lgamma(q) + q*math.Log(g) +
		(px-1)*math.Log(mx) + px*math.Log(x) - (px+q)*math.Log(g+mx*x)
}

// ExpectedSpend is the customer's expected amount per purchase given their
// repeat purchases, equation (5) of "RFM and CLV": a weighted mean of the
// population mean p gamma/(q-1) and the customer's own mean Value, weighted
// towards the latter the more purchases they made. For a customer without
// repeat purchases it is the population mean. Both need q > 1 (else the
// mean is infinite and the result is +Inf).
func (m GammaGamma) ExpectedSpend(c Customer) float64 {
	if m.Q <= 1 {
		return math.Inf(1)
	}
	if c.X <= 0 {
		return m.P * m.Gamma / (m.Q - 1)
	}
	x := float64(c.X)
	return m.P * (m.Gamma + c.Value*x) / (m.P*x + m.Q - 1)
}

// spends reports whether the customer enters the Gamma-Gamma fit: at least
// one repeat purchase, and a positive mean (a mean of 0, all repeat
// purchases free, has zero density under the model).
func spends(c Customer) bool {
	return c.X >= 1 && c.Value > 0 && !math.IsInf(c.Value, 0)
}

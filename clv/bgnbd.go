package clv

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"
)

// BGNBD holds the parameters of the BG/NBD model (Fader, Hardie & Lee 2005,
// "Counting Your Customers the Easy Way"). While alive, a customer buys at a
// Poisson rate drawn from Gamma(R, Alpha) (R shape, Alpha rate, in the units
// of the Period fitted on); after each purchase they drop out with a
// probability drawn from Beta(A, B).
type BGNBD struct {
	R     float64 `json:"r"`
	Alpha float64 `json:"alpha"`
	A     float64 `json:"a"`
	B     float64 `json:"b"`
}

// Validate reports whether every parameter is a positive finite number.
func (m BGNBD) Validate() error {
	for _, p := range []struct {
		name string
		v    float64
	}{{"r", m.R}, {"alpha", m.Alpha}, {"a", m.A}, {"b", m.B}} {
		if !(p.v > 0) || math.IsInf(p.v, 0) {
			return fmt.Errorf("bg/nbd: %s = %v, want a positive finite number", p.name, p.v)
		}
	}
	return nil
}

// LogLikelihood is the log-likelihood of the customers' (x, t_x, T) under
// the model, equation (6) of the paper summed over customers.
func (m BGNBD) LogLikelihood(cs []Customer) float64 {
	ll := 0.0
	for _, c := range cs {
		ll += m.customerLogLikelihood(c)
	}
	return ll
}

// customerLogLikelihood is one customer's term of LogLikelihood, computed
// as ln(A1) + ln(A2) + ln(exp(A3) + [x>0] exp(A4)) to stay finite for large x.
func (m BGNBD) customerLogLikelihood(c Customer) float64 {
	r, alpha, a, b, x := m.R, m.Alpha, m.A, m.B, float64(c.X)
	a1 := lgamma(r+x) - lgamma(r) + r*math.Log(alpha)
	a2 := lgamma(a+b) + lgamma(b+x) - lgamma(b) - lgamma(a+b+x)
	a3 := -(r + x) * math.Log(alpha+c.T)
	if c.X == 0 {
		return a1 + a2 + a3
	}
	a4 := math.Log(a) - math.Log(b+x-1) - (r+x)*math.Log(alpha+c.TX)
	return a1 + a2 + logSumExp(a3, a4)
}

// PAlive is the probability that the customer is still alive at T, equation
// (12) of the paper. It is 1 for a customer with no repeat purchase: the
// model lets customers drop out only right after a purchase.
func (m BGNBD) PAlive(c Customer) float64 {
	if c.X == 0 {
		return 1
	}
	return 1 / (1 + m.deadOdds(c))
}

// deadOdds is P(dead)/P(alive) for a customer with repeat purchases:
// a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x).
func (m BGNBD) deadOdds(c Customer) float64 {
	x := float64(c.X)
	return m.A / (m.B + x - 1) * math.Pow((m.Alpha+c.T)/(m.Alpha+c.TX), m.R+x)
}

// ExpectedPurchases is the number of purchases the customer is expected to
// make in the next t periods after T, equation (10) of the paper.
func (m BGNBD) ExpectedPurchases(c Customer, t float64) float64 {
	if !(t > 0) {
		return 0
	}
	x := float64(c.X)
	aT := m.Alpha + c.T
	f := func(a float64) float64 {
		h := mathext.Hypergeo(m.R+x, m.B+x, a+m.B+x-1, t/(aT+t))
		return (a + m.B + x - 1) / (a - 1) * (1 - math.Pow(aT/(aT+t), m.R+x)*h)
	}
	num := regular(m.A, m.B+x, f)
	if c.X == 0 {
		return num
	}
	return num / (1 + m.deadOdds(c))
}

// ExpectedPurchasesNew is E[X(t)], the number of purchases a customer is
// expected to make in their first t periods, not counting the first
// purchase: equation (7) of the paper.
func (m BGNBD) ExpectedPurchasesNew(t float64) float64 {
	if !(t > 0) {
		return 0
	}
	f := func(a float64) float64 {
		h := mathext.Hypergeo(m.R, m.B, a+m.B-1, t/(m.Alpha+t))
		return (a + m.B - 1) / (a - 1) * (1 - math.Pow(m.Alpha/(m.Alpha+t), m.R)*h)
	}
	return regular(m.A, m.B, f)
}

// regular evaluates f(a) for the expectation formulas, which divide by a-1
// and, for a customer without repeat purchases, use a hypergeometric
// function with a pole at a+b = 1, although the expectations are continuous
// there: near either point it averages f on both sides, where the formula is
// safe.
func regular(a, b float64, f func(a float64) float64) float64 {
	const h = 1e-5
	if math.Abs(a-1) < h || math.Abs(a+b-1) < h {
		return (f(a-h) + f(a+h)) / 2
	}
	return f(a)
}

// lgamma is ln|Γ(x)|.
func lgamma(x float64) float64 {
	v, _ := math.Lgamma(x)
	return v
}

// logSumExp is ln(exp(u) + exp(v)) without overflow.
func logSumExp(u, v float64) float64 {
	if u < v {
		u, v = v, u
	}
	return u + math.Log1p(math.Exp(v-u))
}

package clv

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/stat/distuv"
)

// Parameter sets the BG/NBD tests use: the published CDNOW fit (a < 1),
// one with a > 1, a = 1 and a+b = 1, where the expectations' formulas divide
// by 0, and a+b < 1, where their hypergeometric function has c < 0.
var testModels = []BGNBD{
	{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426},
	{R: 1.5, Alpha: 8, A: 2.2, B: 5},
	{R: 0.7, Alpha: 2, A: 1, B: 3},
	{R: 0.7, Alpha: 2, A: 0.2, B: 0.8},
	{R: 0.7, Alpha: 2, A: 0.3, B: 0.5},
}

var testCustomers = []Customer{
	{X: 0, TX: 0, T: 38.86},
	{X: 2, TX: 30.43, T: 38.86},
	{X: 1, TX: 0.5, T: 20},
	{X: 7, TX: 36, T: 36.5},
	{X: 3, TX: 3, T: 70},
}

// betaFn is the Beta function.
func betaFn(a, b float64) float64 { return math.Gamma(a) * math.Gamma(b) / math.Gamma(a+b) }

func TestBGNBDLogLikelihood(t *testing.T) {
	for _, m := range testModels {
		for _, c := range testCustomers {
			// Equation (6) of the paper as written, without logs.
			r, al, a, b, x := m.R, m.Alpha, m.A, m.B, float64(c.X)
			k := math.Gamma(r+x) * math.Pow(al, r) / math.Gamma(r)
			want := betaFn(a, b+x) / betaFn(a, b) * k / math.Pow(al+c.T, r+x)
			if c.X > 0 {
				want += betaFn(a+1, b+x-1) / betaFn(a, b) * k / math.Pow(al+c.TX, r+x)
			}
			got := m.LogLikelihood([]Customer{c})
			if !near(got, math.Log(want), 1e-12) {
				t.Errorf("%+v %+v: got %v, want %v", m, c, got, math.Log(want))
			}
		}
	}
}

// TestBGNBDGradient compares the fit's analytic gradient with central
// differences.
func TestBGNBDGradient(t *testing.T) {
	d := newBGNBDData(testCustomers)
	for _, m := range testModels {
		v := []float64{math.Log(m.R), math.Log(m.Alpha), math.Log(m.A), math.Log(m.B)}
		checkGradient(t, d.negLogLik, v)
	}
}

// checkGradient compares f's gradient at v with central differences.
func checkGradient(t *testing.T, f objective, v []float64) {
	t.Helper()
	grad := make([]float64, len(v))
	scratch := make([]float64, len(v))
	f(v, grad)
	const h = 1e-6
	for k := range v {
		up := append([]float64(nil), v...)
		down := append([]float64(nil), v...)
		up[k] += h
		down[k] -= h
		want := (f(up, scratch) - f(down, scratch)) / (2 * h)
		if math.Abs(grad[k]-want) > 1e-6*math.Max(1, math.Abs(want)) {
			t.Errorf("at %v: d/dv%d = %v, want %v", v, k, grad[k], want)
		}
	}
}

func TestPAlive(t *testing.T) {
	m := testModels[0]
	tests := []struct {
		name     string
		c        Customer
		min, max float64
	}{
		{"no repeat purchase", Customer{X: 0, T: 50}, 1, 1},
		// Only the drop-out right after the last purchase: 1/(1 + a/(b+x-1)).
		{"bought at the end", Customer{X: 3, TX: 30, T: 30}, 0.848055182985, 0.848055182986},
		{"long silent", Customer{X: 3, TX: 2, T: 70}, 0, 0.2},
	}
	for _, tt := range tests {
		got := m.PAlive(tt.c)
		if got < tt.min || got > tt.max {
			t.Errorf("%s: P(alive) = %v, want in [%v, %v]", tt.name, got, tt.min, tt.max)
		}
	}
	// Silence makes death likelier: P(alive) falls as T grows and rises
	// with t_x.
	prev := 1.0
	for T := 10.0; T <= 80; T += 10 {
		p := m.PAlive(Customer{X: 2, TX: 10, T: T})
		if p > prev {
			t.Errorf("P(alive) rose from %v to %v at T = %v", prev, p, T)
		}
		prev = p
	}
	if lo, hi := m.PAlive(Customer{X: 2, TX: 5, T: 40}), m.PAlive(Customer{X: 2, TX: 35, T: 40}); lo >= hi {
		t.Errorf("P(alive) with t_x 5 (%v) not below with t_x 35 (%v)", lo, hi)
	}
}

// overP integrates g(p) against the Beta(a, b) density. On (0, 1/2] it
// substitutes u = p^s, s = min(a, 1), which removes the density's
// singularity at 0 when a < 1; on [1/2, 1) likewise w = (1-p)^min(b, 1).
func overP(a, b float64, g func(p float64) float64) float64 {
	sa, sb := math.Min(a, 1), math.Min(b, 1)
	left := func(u float64) float64 {
		p := math.Pow(u, 1/sa)
		return math.Pow(p, a-sa) * math.Pow(1-p, b-1) * g(p) / sa
	}
	right := func(w float64) float64 {
		q := math.Pow(w, 1/sb)
		return math.Pow(1-q, a-1) * math.Pow(q, b-sb) * g(1-q) / sb
	}
	const n = 2000
	sum := quad.Fixed(left, 0, math.Pow(0.5, sa), n, quad.Legendre{}, 0) +
		quad.Fixed(right, 0, math.Pow(0.5, sb), n, quad.Legendre{}, 0)
	return sum / betaFn(a, b)
}

// oneMinusPow is 1 - (1+y)^-s, accurate for small y, where the quadrature
// of the expectations samples p near 0.
func oneMinusPow(y, s float64) float64 {
	return -math.Expm1(-s * math.Log1p(y))
}

func TestExpectedPurchasesNew(t *testing.T) {
	for _, m := range testModels {
		for _, tt := range []float64{1, 10, 39, 78, 500} {
			// E[X(t) | lambda, p] = (1 - exp(-lambda p t))/p (equation (8)),
			// integrated over lambda in closed form and over p numerically.
			want := overP(m.A, m.B, func(p float64) float64 {
				return oneMinusPow(p*tt/m.Alpha, m.R) / p
			})
			if got := m.ExpectedPurchasesNew(tt); !near(got, want, 1e-8) {
				t.Errorf("%+v: E[X(%v)] = %v, want %v", m, tt, got, want)
			}
		}
	}
	if got := testModels[0].ExpectedPurchasesNew(0); got != 0 {
		t.Errorf("E[X(0)] = %v, want 0", got)
	}
}

func TestExpectedPurchases(t *testing.T) {
	for _, m := range testModels {
		for _, c := range testCustomers {
			for _, tt := range []float64{1, 39, 200} {
				// Only customers alive at T buy: (1-p)^x lambda^x exp(-lambda T)
				// of the likelihood, times (1 - exp(-lambda p t))/p, over
				// lambda in closed form and p numerically.
				x, rx := float64(c.X), m.R+float64(c.X)
				k := math.Exp(lgamma(rx) - lgamma(m.R) + m.R*math.Log(m.Alpha))
				num := overP(m.A, m.B, func(p float64) float64 {
					return math.Pow(1-p, x) / p * math.Pow(m.Alpha+c.T, -rx) * oneMinusPow(p*tt/(m.Alpha+c.T), rx)
				})
				want := k * num / math.Exp(m.LogLikelihood([]Customer{c}))
				if got := m.ExpectedPurchases(c, tt); !near(got, want, 1e-8) {
					t.Errorf("%+v %+v: E[Y(%v)] = %v, want %v", m, c, tt, got, want)
				}
			}
		}
	}
}

func TestFitBGNBDErrors(t *testing.T) {
	tests := []struct {
		name string
		cs   []Customer
	}{
		{"no customers", nil},
		{"t_x after T", []Customer{{ID: "a", X: 1, TX: 5, T: 4}}},
		{"negative x", []Customer{{ID: "a", X: -1, T: 4}}},
		{"t_x without repeat", []Customer{{ID: "a", X: 0, TX: 1, T: 4}}},
		{"NaN T", []Customer{{ID: "a", X: 1, TX: 1, T: math.NaN()}}},
	}
	for _, tt := range tests {
		if _, err := FitBGNBD(tt.cs); err == nil {
			t.Errorf("%s: got no error", tt.name)
		}
	}
}

// TestFitBGNBDSimulated fits customers simulated from known parameters: the
// fit's likelihood must be at least the true parameters', and the
// parameters near them.
func TestFitBGNBDSimulated(t *testing.T) {
	truth := BGNBD{R: 0.5, Alpha: 5, A: 0.8, B: 2.5}
	cs := simulateBGNBD(truth, 20000, rand.New(rand.NewPCG(1, 2)))
	fit, err := FitBGNBD(cs)
	if err != nil {
		t.Fatal(err)
	}
	if !fit.Converged {
		t.Errorf("fit did not converge: %+v", fit)
	}
	if ll := truth.LogLikelihood(cs); fit.LogLik < ll {
		t.Errorf("fitted log-likelihood %v below the truth's %v", fit.LogLik, ll)
	}
	if !near(fit.LogLik, fit.BGNBD.LogLikelihood(cs), 1e-9) {
		t.Errorf("reported log-likelihood %v, the fitted model's is %v", fit.LogLik, fit.BGNBD.LogLikelihood(cs))
	}
	got := []float64{fit.R, fit.Alpha, fit.A, fit.B}
	for k, want := range []float64{truth.R, truth.Alpha, truth.A, truth.B} {
		if !near(got[k], want, 0.1) {
			t.Errorf("parameter %d: got %v, want %v within 10%%", k, got[k], want)
		}
	}
}

// simulateBGNBD draws n customers from the model, each observed for 10 to
// 60 periods after their first purchase.
func simulateBGNBD(m BGNBD, n int, rnd *rand.Rand) []Customer {
	lambdas := distuv.Gamma{Alpha: m.R, Beta: m.Alpha, Src: rnd}
	ps := distuv.Beta{Alpha: m.A, Beta: m.B, Src: rnd}
	cs := make([]Customer, n)
	for i := range cs {
		lambda, p := lambdas.Rand(), ps.Rand()
		c := Customer{T: 10 + 50*rnd.Float64()}
		for t := 0.0; ; {
			t += rnd.ExpFloat64() / lambda
			if t > c.T {
				break
			}
			c.X, c.TX = c.X+1, t
			if rnd.Float64() < p {
				break
			}
		}
		cs[i] = c
	}
	return cs
}

// TestFitBGNBDUnidentified fits data that do not identify the model: the fit
// must say it did not converge rather than report parameters at the edge of
// the parameter space as estimates.
func TestFitBGNBDUnidentified(t *testing.T) {
	tests := []struct {
		name string
		cs   []Customer
	}{
		{"one customer", []Customer{{X: 1, TX: 1, T: 2}}},
		{"every customer bought at the end", []Customer{{X: 3, TX: 5, T: 5}, {X: 2, TX: 4, T: 4}}},
	}
	for _, tt := range tests {
		fit, err := FitBGNBD(tt.cs)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if fit.Converged {
			t.Errorf("%s: %+v, want not converged", tt.name, fit)
		}
	}
}

// TestFitExtremeInputs fits small random data sets whose times and values
// span 16 orders of magnitude: both fits must return, converged or not,
// without panicking or failing on valid customers.
func TestFitExtremeInputs(t *testing.T) {
	rnd := rand.New(rand.NewPCG(9, 9))
	scale := func() float64 { return math.Pow(10, -8+16*rnd.Float64()) }
	for trial := 0; trial < 200; trial++ {
		cs := make([]Customer, 1+rnd.IntN(30))
		for i := range cs {
			c := Customer{X: rnd.IntN(3) * rnd.IntN(1+rnd.IntN(1000)), T: scale(), Value: scale()}
			if c.X > 0 {
				c.TX = c.T * rnd.Float64()
			}
			cs[i] = c
		}
		if _, err := FitBGNBD(cs); err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		if _, err := FitGammaGamma(cs); err != nil && anySpender(cs) {
			t.Fatalf("trial %d: %v", trial, err)
		}
	}
}

// anySpender reports whether some customer enters the Gamma-Gamma fit.
func anySpender(cs []Customer) bool {
	for _, c := range cs {
		if spends(c) {
			return true
		}
	}
	return false
}

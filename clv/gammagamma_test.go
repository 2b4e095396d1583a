package clv

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/stat/distuv"
)

var testSpendModels = []GammaGamma{
	{P: 6.25, Q: 3.74, Gamma: 15.44},
	{P: 1.2, Q: 2.5, Gamma: 40},
}

var testSpenders = []Customer{
	{X: 1, Value: 20},
	{X: 3, Value: 35.5},
	{X: 12, Value: 7},
}

func TestGammaGammaLogLikelihood(t *testing.T) {
	for _, m := range testSpendModels {
		for _, c := range testSpenders {
			// The mean of x Gamma(p, nu) amounts is Gamma(px, x nu); nu is
			// Gamma(q, gamma) across customers: integrate it out.
			x := float64(c.X)
			prior := distuv.Gamma{Alpha: m.Q, Beta: m.Gamma}
			f := func(nu float64) float64 {
				return distuv.Gamma{Alpha: m.P * x, Beta: x * nu}.Prob(c.Value) * prior.Prob(nu)
			}
			want := quad.Fixed(f, 0, prior.Quantile(1-1e-12), 4000, quad.Legendre{}, 0)
			got := m.LogLikelihood([]Customer{c})
			if !near(got, math.Log(want), 1e-8) {
				t.Errorf("%+v %+v: got %v, want %v", m, c, got, math.Log(want))
			}
		}
	}
	skipped := []Customer{{X: 0}, {X: 2, Value: 0}}
	if got := testSpendModels[0].LogLikelihood(skipped); got != 0 {
		t.Errorf("customers without positive repeat spend: got %v, want 0", got)
	}
}

func TestGammaGammaGradient(t *testing.T) {
	d := ggData{x: []float64{1, 3, 12}, mx: []float64{20, 35.5, 7}}
	for _, m := range testSpendModels {
		checkGradient(t, d.negLogLik, []float64{math.Log(m.P), math.Log(m.Q), math.Log(m.Gamma)})
	}
}

func TestExpectedSpend(t *testing.T) {
	m := testSpendModels[0]
	mean := m.P * m.Gamma / (m.Q - 1)
	tests := []struct {
		name string
		c    Customer
		want float64
	}{
		{"no repeat purchase: the population mean", Customer{X: 0}, mean},
		// Equation (5): weight px/(px+q-1) on the customer's mean.
		{"one purchase", Customer{X: 1, Value: 100}, (m.Q-1)/(m.P+m.Q-1)*mean + m.P/(m.P+m.Q-1)*100},
		{"at the mean", Customer{X: 4, Value: mean}, mean},
	}
	for _, tt := range tests {
		if got := m.ExpectedSpend(tt.c); !near(got, tt.want, 1e-12) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
	// More purchases pull the estimate towards the customer's own mean.
	few, many := m.ExpectedSpend(Customer{X: 1, Value: 100}), m.ExpectedSpend(Customer{X: 20, Value: 100})
	if !(mean < few && few < many && many < 100) {
		t.Errorf("population mean %v, 1 purchase %v, 20 purchases %v: want increasing towards 100", mean, few, many)
	}
	if got := (GammaGamma{P: 1, Q: 1, Gamma: 1}).ExpectedSpend(Customer{}); !math.IsInf(got, 1) {
		t.Errorf("q = 1: got %v, want +Inf", got)
	}
}

func TestFitGammaGammaErrors(t *testing.T) {
	if _, err := FitGammaGamma([]Customer{{X: 0, T: 3}, {X: 2, TX: 1, T: 3, Value: 0}}); err == nil {
		t.Error("no spender: got no error")
	}
}

// TestFitGammaGammaSimulated fits spend simulated from known parameters.
func TestFitGammaGammaSimulated(t *testing.T) {
	truth := GammaGamma{P: 6, Q: 4, Gamma: 15}
	rnd := rand.New(rand.NewPCG(3, 4))
	nus := distuv.Gamma{Alpha: truth.Q, Beta: truth.Gamma, Src: rnd}
	cs := make([]Customer, 5000)
	for i := range cs {
		x := 1 + rnd.IntN(10)
		mean := distuv.Gamma{Alpha: truth.P * float64(x), Beta: float64(x) * nus.Rand(), Src: rnd}
		cs[i] = Customer{X: x, TX: 1, T: 2, Value: mean.Rand()}
	}
	fit, err := FitGammaGamma(cs)
	if err != nil {
		t.Fatal(err)
	}
	if !fit.Converged || fit.Customers != len(cs) {
		t.Errorf("fit: %+v, want converged on %d customers", fit, len(cs))
	}
	if ll := truth.LogLikelihood(cs); fit.LogLik < ll {
		t.Errorf("fitted log-likelihood %v below the truth's %v", fit.LogLik, ll)
	}
	got := []float64{fit.P, fit.Q, fit.Gamma}
	for k, want := range []float64{truth.P, truth.Q, truth.Gamma} {
		if !near(got[k], want, 0.1) {
			t.Errorf("parameter %d: got %v, want %v within 10%%", k, got[k], want)
		}
	}
}

// TestFitGammaGammaUnidentified fits customers who all spend the same: p and
// q grow without bound, and the fit must say it did not converge.
func TestFitGammaGammaUnidentified(t *testing.T) {
	fit, err := FitGammaGamma([]Customer{{X: 1, TX: 1, T: 2, Value: 3}, {X: 2, TX: 1, T: 2, Value: 3}})
	if err != nil {
		t.Fatal(err)
	}
	if fit.Converged {
		t.Errorf("%+v, want not converged", fit)
	}
}

package clv

import (
	"math"
	"testing"
)

func TestValue(t *testing.T) {
	bg, gg := testModels[0], testSpendModels[0]
	c := Customer{ID: "a", X: 2, TX: 30.43, T: 38.86, Value: 22.35}
	value := func(h Horizon) float64 {
		t.Helper()
		v, err := Value(bg, gg, c, h)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if got := value(Horizon{Periods: 0, Margin: 1}); got != 0 {
		t.Errorf("no periods: got %v, want 0", got)
	}
	// Undiscounted revenue is expected purchases times expected spend.
	want := bg.ExpectedPurchases(c, 52) * gg.ExpectedSpend(c)
	if got := value(Horizon{Periods: 52, Margin: 1}); !near(got, want, 1e-12) {
		t.Errorf("undiscounted: got %v, want %v", got, want)
	}
	if got := value(Horizon{Periods: 52, Margin: 0.3}); !near(got, 0.3*want, 1e-12) {
		t.Errorf("margin 0.3: got %v, want %v", got, 0.3*want)
	}
	discounted := value(Horizon{Periods: 52, DiscountRate: 0.01, Margin: 1})
	// Every purchase is discounted by between 1/1.01 and 1/1.01^52.
	if lo, hi := want/math.Pow(1.01, 52), want/1.01; discounted <= lo || discounted >= hi {
		t.Errorf("discounted: got %v, want between %v and %v", discounted, lo, hi)
	}
}

func TestValueErrors(t *testing.T) {
	bg, gg := testModels[0], testSpendModels[0]
	c := Customer{ID: "a", X: 2, TX: 30.43, T: 38.86, Value: 22.35}
	h := Horizon{Periods: 52, DiscountRate: 0.01, Margin: 0.3}
	tests := []struct {
		name string
		bg   BGNBD
		gg   GammaGamma
		c    Customer
		h    Horizon
	}{
		{"negative periods", bg, gg, c, Horizon{Periods: -1, Margin: 1}},
		{"negative discount", bg, gg, c, Horizon{Periods: 1, DiscountRate: -0.1, Margin: 1}},
		{"NaN discount", bg, gg, c, Horizon{Periods: 1, DiscountRate: math.NaN(), Margin: 1}},
		{"margin above 1", bg, gg, c, Horizon{Periods: 1, Margin: 1.5}},
		{"bad bg/nbd", BGNBD{R: 1, Alpha: 0, A: 1, B: 1}, gg, c, h},
		{"bad gamma-gamma", bg, GammaGamma{P: 1, Q: math.Inf(1), Gamma: 1}, c, h},
		{"q = 1, no finite mean", bg, GammaGamma{P: 1, Q: 1, Gamma: 1}, c, h},
		{"bad customer", bg, gg, Customer{X: 1, TX: 5, T: 1}, h},
	}
	for _, tt := range tests {
		if v, err := Value(tt.bg, tt.gg, tt.c, tt.h); err == nil {
			t.Errorf("%s: got %v, want an error", tt.name, v)
		}
	}
}

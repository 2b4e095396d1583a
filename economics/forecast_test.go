package economics_test

import (
	"testing"

	"github.com/rapportdev/rapport/clv"
	"github.com/rapportdev/rapport/economics"
)

// The published CDNOW estimates (Fader, Hardie & Lee 2005; "RFM and CLV").
var (
	cdnowBG = clv.BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	cdnowGG = clv.GammaGamma{P: 6.25, Q: 3.74, Gamma: 15.44}
)

// testModel is a model with the published estimates, spend by
// Gamma-Gamma or, when withSpend is false, by average order value.
func testModel(withSpend bool) economics.Model {
	m := economics.Model{BGNBD: &clv.BGNBDFit{BGNBD: cdnowBG, Converged: true}, Spend: economics.SpendAverageOrderValue}
	if withSpend {
		m.GammaGamma, m.Spend = &clv.GammaGammaFit{GammaGamma: cdnowGG, Converged: true}, economics.SpendGammaGamma
	}
	return m
}

// testCustomer is TestNewCustomer's customer: 3 orders for 300 (margin 90
// estimated at 30%), cost to serve 20.20 over 12 weeks.
func testCustomer(t *testing.T) economics.Customer {
	t.Helper()
	c, ok := economics.NewCustomer(testProfile(), now, economics.Defaults())
	if !ok {
		t.Fatal("not a customer")
	}
	return c
}

// TestForecastMatchesCLVValue checks that lifetime value discounts as
// clv.Value does, with the customer's margin rate.
func TestForecastMatchesCLVValue(t *testing.T) {
	o := economics.Defaults()
	c := testCustomer(t)
	f := testModel(true).Forecast(c, o)
	want, err := clv.Value(cdnowBG, cdnowGG, c.History, clv.Horizon{Periods: 52, DiscountRate: o.WeeklyDiscountRate(), Margin: 0.3})
	if err != nil {
		t.Fatal(err)
	}
	if !f.Modelled || !near(f.CLV, want, 1e-12) {
		t.Errorf("CLV = %v (modelled %v), want clv.Value's %v", f.CLV, f.Modelled, want)
	}
	if got := cdnowBG.PAlive(c.History); f.PAlive != got {
		t.Errorf("P(alive) = %v, want %v", f.PAlive, got)
	}
	if got := cdnowBG.ExpectedPurchases(c.History, 52); !near(f.ExpectedPurchases, got, 1e-12) {
		t.Errorf("expected purchases = %v, want %v", f.ExpectedPurchases, got)
	}
	if got := cdnowGG.ExpectedSpend(c.History); f.ExpectedSpend != got {
		t.Errorf("expected spend = %v, want %v", f.ExpectedSpend, got)
	}
}

func TestForecast(t *testing.T) {
	undiscounted := economics.Defaults()
	undiscounted.DiscountRateYearly = 0
	free := undiscounted
	free.CostPerEffortUnit, free.CostPerMessage = 0, 0
	tests := []struct {
		name         string
		model        economics.Model
		o            economics.Options
		edit         func(*economics.Customer)
		wantModelled bool
		wantCost     float64
		// wantCLV < 0 skips the CLV check.
		wantCLV     float64
		wantFlagged bool
	}{
		// 20.20 over 12 weeks, carried 52 weeks forward.
		{"cost carried forward", testModel(true), undiscounted, nil, true, 20.2 / 12 * 52, -1, false},
		{"serving costs more than the customer brings", testModel(true), undiscounted,
			func(c *economics.Customer) { c.CostToServe = 500 }, true, 500.0 / 12 * 52, -1, true},
		{"zero cost to serve", testModel(true), free,
			func(c *economics.Customer) { c.CostToServe = 0 }, true, 0, -1, false},
		{"zero revenue, no spend model: nothing to expect", testModel(false), undiscounted,
			func(c *economics.Customer) { c.Revenue, c.GrossMargin, c.History.Value = 0, 0, 0 }, true, 20.2 / 12 * 52, 0, true},
		{"no model: not modelled, not flagged", economics.Model{}, undiscounted, nil, false, 20.2 / 12 * 52, 0, false},
		{"no order times: not modelled", testModel(true), undiscounted,
			func(c *economics.Customer) { c.Timed = false }, false, 20.2 / 12 * 52, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testCustomer(t)
			if tt.edit != nil {
				tt.edit(&c)
			}
			f := tt.model.Forecast(c, tt.o)
			if f.Modelled != tt.wantModelled || !near(f.ExpectedCost, tt.wantCost, 1e-12) || f.Flagged != tt.wantFlagged {
				t.Errorf("modelled %v, expected cost %v, flagged %v; want %v, %v, %v (%+v)",
					f.Modelled, f.ExpectedCost, f.Flagged, tt.wantModelled, tt.wantCost, tt.wantFlagged, f)
			}
			if tt.wantCLV >= 0 && f.CLV != tt.wantCLV {
				t.Errorf("CLV = %v, want %v", f.CLV, tt.wantCLV)
			}
			if f.ExpectedNet != f.CLV-f.ExpectedCost {
				t.Errorf("expected net %v, want CLV − expected cost = %v", f.ExpectedNet, f.CLV-f.ExpectedCost)
			}
			if !f.Modelled && (f.PAlive != 0 || f.CLV != 0) {
				t.Errorf("unmodelled customer has P(alive) %v, CLV %v", f.PAlive, f.CLV)
			}
		})
	}
}

// TestForecastAverageOrderValue checks the fallback spend: the customer's
// own average order value, so CLV = margin rate × AOV × discounted
// purchases.
func TestForecastAverageOrderValue(t *testing.T) {
	o := economics.Defaults()
	o.DiscountRateYearly = 0
	c := testCustomer(t)
	f := testModel(false).Forecast(c, o)
	want := 0.3 * 100 * cdnowBG.ExpectedPurchases(c.History, 52)
	if f.ExpectedSpend != 100 || !near(f.CLV, want, 1e-9) {
		t.Errorf("spend %v, CLV %v; want 100, %v", f.ExpectedSpend, f.CLV, want)
	}
}

func TestFitWithoutData(t *testing.T) {
	m := economics.Fit(nil)
	if m.BGNBD != nil || m.GammaGamma != nil || m.Spend != economics.SpendAverageOrderValue || len(m.Problems) == 0 {
		t.Errorf("Fit(nil) = %+v, want no models and a problem", m)
	}
	// One-time buyers only: BG/NBD may fit, Gamma-Gamma cannot.
	hs := []clv.Customer{{T: 10}, {T: 20}, {T: 5}}
	m = economics.Fit(hs)
	if m.GammaGamma != nil || m.Spend != economics.SpendAverageOrderValue || len(m.Problems) == 0 {
		t.Errorf("Fit(one-time buyers) = %+v, want average order value and a problem", m)
	}
}

package economics

import (
	"math"

	"github.com/rapportdev/rapport/clv"
)

// Forecast is what a customer is expected to bring and cost over the
// horizon.
type Forecast struct {
	// Modelled is false when the customer has no order times or no model
	// was fitted: their lifetime value is then 0 and they are not flagged.
	Modelled bool `json:"modelled"`
	// PAlive is the BG/NBD probability that the customer still buys.
	PAlive float64 `json:"p_alive"`
	// ExpectedPurchases is the number of purchases expected over the
	// horizon, undiscounted.
	ExpectedPurchases float64 `json:"expected_purchases"`
	// ExpectedSpend is the value of one of them.
	ExpectedSpend float64 `json:"expected_spend"`
	// CLV is the lifetime value: the discounted gross margin of the
	// expected purchases.
	CLV float64 `json:"clv"`
	// ExpectedCost is the cost to serve over the horizon, discounted
	// alike: the cost so far per week of tenure, carried forward.
	ExpectedCost float64 `json:"expected_cost"`
	// ExpectedNet is CLV − ExpectedCost, what the serve-first ranking
	// orders by.
	ExpectedNet float64 `json:"expected_net"`
	// Flagged is whether a modelled customer is expected to cost more to
	// serve than they bring: CLV < ExpectedCost.
	Flagged bool `json:"flagged"`
}

// Forecast returns c's forecast under m and o:
//
//	CLV = margin rate × expected spend × Σ_{k=1..H} (E[Y(k)] − E[Y(k−1)]) / (1+d)^k
//
// with E[Y(k)] the BG/NBD expected purchases in the k weeks ahead and d
// the weekly discount rate, as clv.Value computes it, and
//
//	expected cost = cost to serve / tenure weeks × Σ_{k=1..H} 1/(1+d)^k.
func (m Model) Forecast(c Customer, o Options) Forecast {
	f := Forecast{ExpectedCost: c.CostToServe / c.TenureWeeks * o.DiscountedWeeks()}
	if m.BGNBD != nil && c.Timed {
		f.Modelled = true
		bg := m.BGNBD.BGNBD
		purchases, total := discountedPurchases(bg, c.History, o.HorizonWeeks, o.WeeklyDiscountRate())
		f.PAlive = bg.PAlive(c.History)
		f.ExpectedPurchases = total
		f.ExpectedSpend = m.expectedSpend(c)
		f.CLV = c.MarginRate(o) * f.ExpectedSpend * purchases
		if !finite(f.PAlive, f.ExpectedPurchases, f.ExpectedSpend, f.CLV) {
			// Parameters at the edge of their space can overflow: such a
			// forecast says nothing.
			f = Forecast{ExpectedCost: f.ExpectedCost}
		}
	}
	f.ExpectedNet = f.CLV - f.ExpectedCost
	f.Flagged = f.Modelled && f.CLV < f.ExpectedCost
	return f
}

// discountedPurchases is Σ_{k=1..periods} (E[Y(k)] − E[Y(k−1)]) / (1+d)^k,
// the sum clv.Value multiplies by margin and spend, and E[Y(periods)].
func discountedPurchases(bg clv.BGNBD, h clv.Customer, periods int, d float64) (discounted, total float64) {
	prev, discount := 0.0, 1.0
	for k := 1; k <= periods; k++ {
		cum := bg.ExpectedPurchases(h, float64(k))
		discount /= 1 + d
		discounted += (cum - prev) * discount
		prev = cum
	}
	return discounted, prev
}

// finite reports whether every value is a finite number.
func finite(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

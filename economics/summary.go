package economics

import "math"

// Totals adds up the customers of one bucket (a segment, or everyone).
// The zero value is an empty bucket.
type Totals struct {
	customers, modelled, flagged int

	revenue, grossMargin, estimatedRevenue float64
	effort, messages, costToServe          float64
	clv, expectedCost, pAlive              float64
}

// Add counts customer c with forecast f.
func (t *Totals) Add(c Customer, f Forecast) {
	t.customers++
	t.revenue += c.Revenue
	t.grossMargin += c.GrossMargin
	t.estimatedRevenue += c.EstimatedRevenue
	t.effort += c.Effort
	t.messages += c.Messages
	t.costToServe += c.CostToServe
	t.clv += f.CLV
	t.expectedCost += f.ExpectedCost
	if f.Modelled {
		t.modelled++
		t.pAlive += f.PAlive
	}
	if f.Flagged {
		t.flagged++
	}
}

// Margin bases: how much of a bucket's gross margin rests on known costs.
const (
	MarginKnown     = "known"     // every order's cost is known
	MarginEstimated = "estimated" // none is: revenue × default margin rate
	MarginMixed     = "mixed"     // some are
	MarginNone      = "none"      // no revenue
)

// Summary is a bucket's figures (docs/economics.md defines each). Money is
// rounded to cents, shares and rates to four decimals.
type Summary struct {
	Customers int     `json:"customers"`
	Revenue   float64 `json:"revenue"`
	// GrossMargin is known margins plus estimated ones; MarginBasis and
	// MarginKnownShare (of revenue) say how much is known.
	GrossMargin      float64 `json:"gross_margin"`
	MarginBasis      string  `json:"margin_basis"`
	MarginKnownShare float64 `json:"margin_known_share"`
	ServiceEffort    float64 `json:"service_effort"`
	Messages         float64 `json:"messages"`
	CostToServe      float64 `json:"cost_to_serve"`
	// NetContribution is GrossMargin − CostToServe.
	NetContribution float64 `json:"net_contribution"`
	NetPerCustomer  float64 `json:"net_per_customer"`
	// ROI is NetContribution / CostToServe; nil when nothing was spent.
	ROI            *float64 `json:"roi"`
	CLV            float64  `json:"clv"`
	CLVPerCustomer float64  `json:"clv_per_customer"`
	ExpectedCost   float64  `json:"expected_cost"`
	ExpectedNet    float64  `json:"expected_net"`
	// PAlive is the mean over the modelled customers.
	PAlive   float64 `json:"p_alive"`
	Modelled int     `json:"modelled"`
	Flagged  int     `json:"flagged"`
}

// Summary returns the bucket's figures.
func (t *Totals) Summary() Summary {
	net := t.grossMargin - t.costToServe
	s := Summary{
		Customers:       t.customers,
		Revenue:         cents(t.revenue),
		GrossMargin:     cents(t.grossMargin),
		MarginBasis:     marginBasis(t.revenue, t.estimatedRevenue),
		ServiceEffort:   round(t.effort, 4),
		Messages:        t.messages,
		CostToServe:     cents(t.costToServe),
		NetContribution: cents(net),
		CLV:             cents(t.clv),
		ExpectedCost:    cents(t.expectedCost),
		ExpectedNet:     cents(t.clv - t.expectedCost),
		Modelled:        t.modelled,
		Flagged:         t.flagged,
	}
	if t.revenue > 0 {
		s.MarginKnownShare = round(1-min(t.estimatedRevenue/t.revenue, 1), 4)
	}
	if t.customers > 0 {
		s.NetPerCustomer = cents(net / float64(t.customers))
		s.CLVPerCustomer = cents(t.clv / float64(t.customers))
	}
	if t.costToServe > 0 {
		roi := round(net/t.costToServe, 4)
		s.ROI = &roi
	}
	if t.modelled > 0 {
		s.PAlive = round(t.pAlive/float64(t.modelled), 4)
	}
	return s
}

// marginBasis names how much of revenue's margin is known.
func marginBasis(revenue, estimated float64) string {
	switch {
	case revenue <= 0:
		return MarginNone
	case estimated <= 0:
		return MarginKnown
	case estimated >= revenue:
		return MarginEstimated
	}
	return MarginMixed
}

// cents rounds money to two decimals.
func cents(v float64) float64 { return round(v, 2) }

// round rounds v to the given decimals, halves away from zero.
func round(v float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	r := math.Round(v*p) / p
	if r == 0 {
		return 0 // no "-0" in reports
	}
	return r
}

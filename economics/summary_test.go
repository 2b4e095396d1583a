package economics_test

import (
	"testing"

	"github.com/rapportdev/rapport/economics"
)

func TestSummary(t *testing.T) {
	// a: 100 of revenue at the default 30%, 2 tickets and 10 emails.
	a := economics.Customer{ID: "a", Revenue: 100, GrossMargin: 30, EstimatedRevenue: 100, Effort: 2, Messages: 10, CostToServe: 20.2}
	// b: 200 of revenue whose costs are known, served for free.
	b := economics.Customer{ID: "b", Revenue: 200, GrossMargin: 80}
	fa := economics.Forecast{Modelled: true, PAlive: 0.8, CLV: 50, ExpectedCost: 40, ExpectedNet: 10}
	fb := economics.Forecast{Modelled: true, PAlive: 0.4, CLV: 10, ExpectedNet: 10}
	flagged := economics.Forecast{Modelled: true, PAlive: 0.1, CLV: 1, ExpectedCost: 40, ExpectedNet: -39, Flagged: true}
	roi := func(v float64) *float64 { return &v }
	tests := []struct {
		name string
		add  func(*economics.Totals)
		want economics.Summary
	}{
		{"empty", func(*economics.Totals) {}, economics.Summary{MarginBasis: economics.MarginNone}},
		{"two customers", func(t *economics.Totals) { t.Add(a, fa); t.Add(b, fb) }, economics.Summary{
			Customers: 2, Revenue: 300, GrossMargin: 110, MarginBasis: economics.MarginMixed, MarginKnownShare: 0.6667,
			ServiceEffort: 2, Messages: 10, CostToServe: 20.2, NetContribution: 89.8, NetPerCustomer: 44.9,
			ROI: roi(4.4455), CLV: 60, CLVPerCustomer: 30, ExpectedCost: 40, ExpectedNet: 20, PAlive: 0.6, Modelled: 2}},
		{"zero cost: no ROI", func(t *economics.Totals) { t.Add(b, fb) }, economics.Summary{
			Customers: 1, Revenue: 200, GrossMargin: 80, MarginBasis: economics.MarginKnown, MarginKnownShare: 1,
			NetContribution: 80, NetPerCustomer: 80, CLV: 10, CLVPerCustomer: 10, ExpectedNet: 10, PAlive: 0.4, Modelled: 1}},
		{"zero revenue, estimated margins, a flag", func(t *economics.Totals) {
			t.Add(economics.Customer{ID: "c", EstimatedRevenue: 0, Effort: 1, CostToServe: 10}, flagged)
			t.Add(a, economics.Forecast{ExpectedCost: 40, ExpectedNet: -40})
		}, economics.Summary{
			Customers: 2, Revenue: 100, GrossMargin: 30, MarginBasis: economics.MarginEstimated, ServiceEffort: 3, Messages: 10,
			CostToServe: 30.2, NetContribution: -0.2, NetPerCustomer: -0.1, ROI: roi(-0.0066), CLV: 1, CLVPerCustomer: 0.5,
			ExpectedCost: 80, ExpectedNet: -79, PAlive: 0.1, Modelled: 1, Flagged: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tot economics.Totals
			tt.add(&tot)
			got := tot.Summary()
			if (got.ROI == nil) != (tt.want.ROI == nil) || (got.ROI != nil && *got.ROI != *tt.want.ROI) {
				t.Errorf("ROI = %v, want %v", deref(got.ROI), deref(tt.want.ROI))
			}
			got.ROI, tt.want.ROI = nil, nil
			if got != tt.want {
				t.Errorf("Summary =\n%+v, want\n%+v", got, tt.want)
			}
		})
	}
}

// deref shows a *float64 in a failure.
func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

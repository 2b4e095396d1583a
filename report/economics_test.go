package report_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"strings"
	"testing"

	"github.com/rapportdev/rapport/economics"
	"github.com/rapportdev/rapport/report"
)

// historical is the part of a row that does not depend on the fitted
// models, computed by hand from the shop's profiles.
type historical struct {
	segment                            string
	members, customers                 int
	revenue, margin                    float64
	basis                              string
	knownShare, effort, messages, cost float64
	net, netPerCustomer                float64
	roi                                float64 // NaN: none
}

func TestEconomics(t *testing.T) {
	rep, err := report.Economics(context.Background(), shop(t), economics.Defaults(), now)
	if err != nil {
		t.Fatal(err)
	}
	want := []historical{
		// 850 of revenue, 450 of it without a known cost; costs 80.20 + 20
		// + 0.08; net 315 − 100.28.
		{"all", 5, 3, 850, 315, "mixed", 0.4706, 10, 14, 100.28, 214.72, 71.57, 2.1412},
		{"big-spenders", 2, 2, 800, 285, "mixed", 1 - 450.0/800, 8, 14, 80.28, 204.72, 102.36, 2.5501},
		{"empty", 0, 0, 0, 0, "none", 0, 0, 0, 0, 0, 0, math.NaN()},
		{"cluster-1", 2, 1, 50, 30, "known", 1, 2, 0, 20, 10, 10, 0.5},
	}
	if len(rep.Rows) != len(want) || rep.Profiles != 5 {
		t.Fatalf("%d profiles, rows %+v; want 5 profiles and %d rows", rep.Profiles, rep.Rows, len(want))
	}
	for i, w := range want {
		r := rep.Rows[i]
		got := historical{r.Segment, r.Members, r.Customers, r.Revenue, r.GrossMargin, r.MarginBasis,
			r.MarginKnownShare, r.ServiceEffort, r.Messages, r.CostToServe, r.NetContribution, r.NetPerCustomer, math.NaN()}
		if r.ROI != nil {
			got.roi = *r.ROI
		}
		w.knownShare = math.Round(w.knownShare*1e4) / 1e4
		if !sameHistorical(got, w) {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, got, w)
		}
		checkForecastSums(t, r)
	}
	if all := rep.Rows[0]; all.Name != "All customers" || all.Kind != "all" {
		t.Errorf("first row %+v, want all customers", all)
	}
	if rep.Options.HorizonWeeks != 52 || rep.Model.BGNBD == nil && len(rep.Model.Problems) == 0 {
		t.Errorf("options %+v, model %+v: want the defaults and a fit or a reason", rep.Options, rep.Model)
	}
}

// sameHistorical compares two rows, NaN equal to NaN.
func sameHistorical(a, b historical) bool {
	roi := a.roi == b.roi || math.IsNaN(a.roi) && math.IsNaN(b.roi)
	a.roi, b.roi = 0, 0
	return roi && a == b
}

// checkForecastSums checks what holds whatever the fit: expected net is
// lifetime value less expected cost, P(alive) a probability, and no more
// flagged than modelled customers.
func checkForecastSums(t *testing.T, r report.EconomicsRow) {
	t.Helper()
	if d := r.ExpectedNet - (r.CLV - r.ExpectedCost); math.Abs(d) > 0.011 {
		t.Errorf("%s: expected net %v ≠ CLV %v − expected cost %v", r.Segment, r.ExpectedNet, r.CLV, r.ExpectedCost)
	}
	if r.PAlive < 0 || r.PAlive > 1 || r.Flagged > r.Modelled || r.Modelled > r.Customers {
		t.Errorf("%s: P(alive) %v, %d flagged, %d modelled of %d", r.Segment, r.PAlive, r.Flagged, r.Modelled, r.Customers)
	}
}

func TestEconomicsCSV(t *testing.T) {
	rep, err := report.Economics(context.Background(), shop(t), economics.Defaults(), now)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := rep.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 || strings.Join(rows[0][:8], ",") != "segment,name,kind,members,customers,revenue,gross_margin,margin_basis" {
		t.Fatalf("CSV rows %q", rows)
	}
	if got := strings.Join(rows[1][:8], ","); got != "all,All customers,all,5,3,850,315,mixed" {
		t.Errorf("all customers: %s", got)
	}
	if got := rows[4][1]; got != "'+Bargain hunters" {
		t.Errorf("cluster name %q, want it quoted against formulas", got)
	}
	if roi := rows[3][14]; roi != "" {
		t.Errorf("ROI of an empty segment %q, want empty", roi)
	}
}

func TestEconomicsRefusesBadOptions(t *testing.T) {
	o := economics.Defaults()
	o.HorizonWeeks = 0
	if _, err := report.Economics(context.Background(), shop(t), o, now); err == nil || !strings.Contains(err.Error(), "horizon_weeks") {
		t.Errorf("Economics with no horizon: %v, want an error naming horizon_weeks", err)
	}
}

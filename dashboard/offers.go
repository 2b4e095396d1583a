package dashboard

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/decide"
	"github.com/rapportdev/rapport/offer"
)

// Offers is what the offers page reads from the offer service;
// *decide.Service implements it. Both are counted in the store, so the
// page costs two grouped queries however many decisions there are.
type Offers interface {
	// Report counts outcomes per offer and arm since a time (zero for
	// all), with accept rates, lift and their intervals.
	Report(ctx context.Context, since time.Time) (offer.Report, error)
	// Funnel counts the acquisition → activation → activity funnel.
	Funnel(ctx context.Context, req decide.FunnelRequest) (offer.Funnel, error)
}

// offerWindows are the report's time windows, in days; 0 is everything.
var offerWindows = []option{{Value: "30", Label: "Last 30 days"}, {Value: "90", Label: "Last 90 days"},
	{Value: "365", Label: "Last year"}, {Value: "0", Label: "Everything kept"}}

// offerPeriods are the funnel's periods.
var offerPeriods = []option{{Value: offer.PeriodWeek, Label: "Week"}, {Value: offer.PeriodDay, Label: "Day"}}

// offersView is the data of the offers page.
type offersView struct {
	Windows, Periods, Arms []option
	// Arm is the segment the charts show ("*": all segments together),
	// and the table's filter ("" for every row).
	Arm     string
	Report  offer.Report
	Rows    []offerRow
	Pager   pager
	Charted []offerRow
	Funnel  offer.Funnel
	// Total counts the table's rows before paging.
	Total int
}

// offerRow is one offer in one segment, with the offer's title.
type offerRow struct {
	offer.ArmReport
	Title string
}

// offersPerPage is how many offer × segment rows a page of the table holds.
const offersPerPage = 50

// maxCharted bounds the offers drawn in the charts: those shown most.
const maxCharted = 15

// offersPage loads GET /offers: accept rate and lift per offer and
// segment with their intervals, and the funnel over time.
func (h *Handler) offersPage(r *http.Request, _ *session) (any, error) {
	if h.cfg.Offers == nil {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "Offers are not available on this process.")
	}
	q := r.URL.Query()
	days, err := choice(q, "days", offerWindows, "90")
	if err != nil {
		return nil, err
	}
	period, err := choice(q, "period", offerPeriods, offer.PeriodWeek)
	if err != nil {
		return nil, err
	}
	p, err := parsePaging(q, "page", offersPerPage, false)
	if err != nil {
		return nil, err
	}
	rep, funnel, err := h.offerFigures(r.Context(), days, period)
	if err != nil {
		return nil, err
	}
	v := &offersView{Windows: selected(offerWindows, days), Periods: selected(offerPeriods, period), Report: rep, Funnel: funnel}
	v.Arm = q.Get("arm")
	v.Arms = armOptions(rep, v.Arm)
	titles, err := h.offerTitles(r.Context())
	if err != nil {
		return nil, err
	}
	rows := offerRows(rep, v.Arm, titles)
	v.Total = len(rows)
	from := min(p.offset(), len(rows))
	page := rows[from:min(from+p.Limit, len(rows))]
	v.Rows = page
	v.Pager = newPager("/offers", q, "page", p, len(page), len(rows), false)
	v.Charted = chartedRows(rep, cmp.Or(v.Arm, "*"), titles)
	return v, nil
}

// offerFigures returns the report over the last days (0: all) and the
// funnel per period, from a cache of a minute: the page is read again as
// people page through it and change its filters.
func (h *Handler) offerFigures(ctx context.Context, days, period string) (offer.Report, offer.Funnel, error) {
	key := days + "/" + period
	if f, ok := h.offerCache.get(key, h.cfg.Clock.Now()); ok {
		return f.report, f.funnel, nil
	}
	var since time.Time
	now := h.cfg.Clock.Now()
	if n, _ := strconv.Atoi(days); n > 0 {
		since = now.AddDate(0, 0, -n)
	}
	rep, err := h.cfg.Offers.Report(ctx, since)
	if err != nil {
		return rep, offer.Funnel{}, fmt.Errorf("offer report: %w", err)
	}
	funnel, err := h.cfg.Offers.Funnel(ctx, decide.FunnelRequest{Period: period, To: now})
	if err != nil {
		return rep, funnel, fmt.Errorf("offer funnel: %w", err)
	}
	h.offerCache.put(key, offerFigures{report: rep, funnel: funnel}, now)
	return rep, funnel, nil
}

// offerTitles maps offer ids to their titles.
func (h *Handler) offerTitles(ctx context.Context) (map[string]string, error) {
	offers, err := h.cfg.Store.FindOffers(ctx)
	if err != nil {
		return nil, fmt.Errorf("find offers: %w", err)
	}
	out := make(map[string]string, len(offers))
	for _, o := range offers {
		out[o.ID] = o.Title
	}
	return out, nil
}

// offerRows returns the report's rows for the table: every offer in
// every segment and over all segments (arm ""), or in one segment.
func offerRows(rep offer.Report, arm string, titles map[string]string) []offerRow {
	var out []offerRow
	for _, a := range rep.Offers {
		if arm == "" || a.Arm == arm {
			out = append(out, offerRow{ArmReport: a, Title: cmp.Or(titles[a.OfferID], a.OfferID)})
		}
	}
	return out
}

// chartedRows returns the offers of one segment the charts show: the
// maxCharted shown most, in the report's order.
func chartedRows(rep offer.Report, arm string, titles map[string]string) []offerRow {
	rows := offerRows(rep, arm, titles)
	if len(rows) <= maxCharted {
		return rows
	}
	byShown := slices.Clone(rows)
	slices.SortStableFunc(byShown, func(a, b offerRow) int {
		return int(b.Treatment.Shown+b.Control.Shown) - int(a.Treatment.Shown+a.Control.Shown)
	})
	keep := map[string]bool{}
	for _, r := range byShown[:maxCharted] {
		keep[r.OfferID] = true
	}
	return slices.DeleteFunc(rows, func(r offerRow) bool { return !keep[r.OfferID] })
}

// armOptions lists the segments of the report for the filter: every row,
// all segments together, then each arm.
func armOptions(rep offer.Report, arm string) []option {
	out := []option{{Value: "", Label: "Every segment, and all together"}, {Value: "*", Label: "All segments together"}}
	seen := map[string]bool{}
	for _, a := range rep.Offers {
		if a.Arm != "*" && !seen[a.Arm] {
			seen[a.Arm] = true
			out = append(out, option{Value: a.Arm, Label: armLabel(a.Arm)})
		}
	}
	slices.SortFunc(out[2:], func(a, b option) int { return strings.Compare(a.Label, b.Label) })
	return selected(out, arm)
}

// armLabel names an arm for people: a segment id, "stage:lead" or "all".
func armLabel(arm string) string {
	switch {
	case arm == "*":
		return "all segments"
	case arm == offer.ArmAll:
		return "everyone else"
	case len(arm) > 6 && arm[:6] == "stage:":
		return "stage " + label(arm[6:])
	}
	return arm
}

// choice returns the parameter name when it is one of the options, def
// when absent, or an EINVALID error naming it.
func choice(q url.Values, name string, opts []option, def string) (string, error) {
	v := q.Get(name)
	if v == "" {
		return def, nil
	}
	for _, o := range opts {
		if o.Value == v {
			return v, nil
		}
	}
	return "", rapport.Errorf(rapport.EINVALID, "%s: %q is not one of the choices", name, v)
}

// selected returns a copy of opts with the one of value v checked
// (selected, in a select).
func selected(opts []option, v string) []option {
	out := slices.Clone(opts)
	for i := range out {
		out[i].Checked = out[i].Value == v
	}
	return out
}

// ArmName is the row's segment for people.
func (r offerRow) ArmName() string { return armLabel(r.Arm) }

// LiftText, LiftLow and LiftHigh write the lift and its interval in
// percentage points, signed: "+4.2 pts".
func (r offerRow) LiftText() string { return points(r.Lift.Absolute) }
func (r offerRow) LiftLow() string  { return points(r.Lift.CI.Low) }
func (r offerRow) LiftHigh() string { return points(r.Lift.CI.High) }

// points writes a difference of rates in signed percentage points.
func points(d float64) string {
	s := strconv.FormatFloat(d*100, 'f', 1, 64)
	if s == "-0.0" {
		s = "0.0"
	}
	if d > 0 && s != "0.0" {
		s = "+" + s
	}
	return s + " pts"
}

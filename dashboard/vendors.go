package dashboard

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/lead"
	"github.com/rapportdev/rapport/leads"
)

// Leads is what the vendors page reads from lead management;
// *leads.Service implements it. Every figure is added up in the store
// (grouped queries and pages), so the page costs the same with a million
// leads as with a hundred.
type Leads interface {
	// Scorecards returns each vendor's scorecard per period ("" for the
	// whole range).
	Scorecards(ctx context.Context, r leads.Range, period string) ([]lead.Scorecard, error)
	// Distribution counts leads per vendor and bucket of a measure.
	Distribution(ctx context.Context, r leads.Range, measure string, bounds []time.Duration) ([]rapport.LeadBucket, error)
	// DuplicatesPage returns a page of the people sold more than once,
	// with their inquiries, and how many there are.
	DuplicatesPage(ctx context.Context, r leads.Range, offset, limit int) ([]lead.Person, int, error)
}

// vendorWindow is a choice of the page's time window, in days (0 for
// everything).
type vendorWindow struct {
	Days     int
	Label    string
	Selected bool
}

// vendorWindows are the page's time windows.
var vendorWindows = []vendorWindow{{30, "Last 30 days", false}, {90, "Last 90 days", false}, {365, "Last year", false},
	{0, "Everything", false}}

// pickWindow returns the windows with the one the query names (days, 90
// when absent) selected, and its days; EINVALID for another value.
func pickWindow(q url.Values) ([]vendorWindow, int, error) {
	raw := q.Get("days")
	if raw == "" {
		raw = "90"
	}
	out := slices.Clone(vendorWindows)
	for i := range out {
		if strconv.Itoa(out[i].Days) == raw {
			out[i].Selected = true
			return out, out[i].Days, nil
		}
	}
	return nil, 0, rapport.Errorf(rapport.EINVALID, "days: must be 30, 90, 365 or 0 (everything)")
}

// vendorListSize is how many rows a page of each list holds.
const vendorListSize = 20

// vendorsView is the data of the vendors page.
type vendorsView struct {
	Windows  []vendorWindow
	Vendors  map[string]*rapport.Vendor
	Cards    []scorecardRow
	Speed    histogram
	AgeAt    histogram
	AgeNow   histogram
	Dups     []lead.Person
	DupPager pager
	Consent  []rapport.Lead
	CPager   pager
	Returns  []rapport.Lead
	RPager   pager
}

// vendorsPage loads GET /vendors: scorecards, speed-to-lead, lead age,
// duplicates, consent failures and returns over a time window.
func (h *Handler) vendorsPage(r *http.Request, _ *session) (any, error) {
	if h.cfg.Leads == nil {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "Lead management is not available on this process.")
	}
	windows, days, err := pickWindow(r.URL.Query())
	if err != nil {
		return nil, err
	}
	rg := leads.Range{}
	if days > 0 {
		rg.Since = h.cfg.Clock.Now().AddDate(0, 0, -days)
	}
	v := &vendorsView{Windows: windows}
	ctx := r.Context()
	for _, step := range []func(context.Context, *http.Request, leads.Range, *vendorsView) error{
		h.loadVendors, h.loadScorecards, h.loadHistograms, h.loadDuplicates, h.loadConsentFailures, h.loadReturns,
	} {
		if err := step(ctx, r, rg, v); err != nil {
			return nil, err
		}
	}
	return v, nil
}

func (h *Handler) loadVendors(ctx context.Context, _ *http.Request, _ leads.Range, v *vendorsView) error {
	vs, err := h.cfg.Store.FindVendors(ctx)
	if err != nil {
		return fmt.Errorf("find vendors: %w", err)
	}
	v.Vendors = map[string]*rapport.Vendor{}
	for _, x := range vs {
		v.Vendors[x.ID] = x
	}
	return nil
}

func (h *Handler) loadScorecards(ctx context.Context, _ *http.Request, rg leads.Range, v *vendorsView) error {
	cards, err := h.cfg.Leads.Scorecards(ctx, rg, "")
	if err != nil {
		return fmt.Errorf("vendor scorecards: %w", err)
	}
	for _, c := range cards {
		v.Cards = append(v.Cards, scorecardRow{Scorecard: c, Vendor: v.Vendors[c.VendorID]})
	}
	return nil
}

func (h *Handler) loadDuplicates(ctx context.Context, r *http.Request, rg leads.Range, v *vendorsView) error {
	p, err := parsePaging(r.URL.Query(), "dpage", vendorListSize, false)
	if err != nil {
		return err
	}
	people, total, err := h.cfg.Leads.DuplicatesPage(ctx, rg, p.offset(), p.Limit)
	if err != nil {
		return fmt.Errorf("duplicates: %w", err)
	}
	v.Dups, v.DupPager = people, newPager("/vendors", r.URL.Query(), "dpage", p, len(people), total, false)
	return nil
}

func (h *Handler) loadConsentFailures(ctx context.Context, r *http.Request, rg leads.Range, v *vendorsView) error {
	ls, pg, err := h.leadList(ctx, r, "cpage", rapport.BoughtLeadFilter{Since: rg.Since, ConsentFailed: true})
	v.Consent, v.CPager = ls, pg
	return err
}

func (h *Handler) loadReturns(ctx context.Context, r *http.Request, rg leads.Range, v *vendorsView) error {
	ls, pg, err := h.leadList(ctx, r, "rpage", rapport.BoughtLeadFilter{Since: rg.Since, Returned: true})
	v.Returns, v.RPager = ls, pg
	return err
}

// leadList reads one page of bought leads, its page number in the
// parameter name.
func (h *Handler) leadList(ctx context.Context, r *http.Request, name string, f rapport.BoughtLeadFilter) ([]rapport.Lead, pager, error) {
	p, err := parsePaging(r.URL.Query(), name, vendorListSize, false)
	if err != nil {
		return nil, pager{}, err
	}
	f.Offset, f.Limit = p.offset(), p.Limit
	ls, total, err := h.cfg.Store.FindBoughtLeads(ctx, f)
	if err != nil {
		return nil, pager{}, fmt.Errorf("find leads: %w", err)
	}
	return ls, newPager("/vendors", r.URL.Query(), name, p, len(ls), total, false), nil
}

// scorecardRow is a vendor's scorecard with the vendor, for its name and
// terms.
type scorecardRow struct {
	lead.Scorecard
	Vendor *rapport.Vendor
}

// Name is the vendor's name, its id when it is unknown.
func (s scorecardRow) Name() string {
	if s.Vendor == nil {
		return s.VendorID
	}
	return s.Vendor.Name
}

// Kind says whether the vendor's leads are exclusive or shared.
func (s scorecardRow) Kind() string {
	switch {
	case s.Vendor == nil:
		return ""
	case s.Vendor.Exclusive:
		return "exclusive"
	case s.Vendor.SharedWith > 0:
		return fmt.Sprintf("shared with %d", s.Vendor.SharedWith)
	}
	return "shared"
}

// Age is the median age at delivery, readable.
func (s scorecardRow) Age() string {
	return span(time.Duration(s.MedianAgeAtDelivery * float64(time.Second)))
}

// span writes a duration the way people say it: 45s, 12m, 3.5h, 2.1d.
func span(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%.0fs", d.Seconds())
	case d < time.Hour:
		return fmt.Sprintf("%.0fm", d.Minutes())
	case d < 48*time.Hour:
		return fmt.Sprintf("%.1fh", d.Hours())
	}
	return fmt.Sprintf("%.1fd", d.Hours()/24)
}

package leads

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/lead"
)

// Scorecards returns each vendor's scorecard per period. The store adds
// the leads up per vendor and day (FindLeadTotals); the days roll up
// into periods here, and each period's median age at delivery is read
// as the one or two middle values (FindLeadDelays), so no lead is read
// whole and the range has no bound.
func (s *Service) Scorecards(ctx context.Context, r Range, period string) ([]lead.Scorecard, error) {
	days, err := s.cfg.Store.FindLeadTotals(ctx, r.filter())
	if err != nil {
		return nil, err
	}
	groups := lead.RollUp(days, period)
	out := make([]lead.Scorecard, len(groups))
	for i, g := range groups {
		median, err := s.medianDelay(ctx, g, r)
		if err != nil {
			return nil, err
		}
		out[i] = lead.ScorecardOf(g, median, s.cfg.Pricing.CostToWork)
	}
	return out, nil
}

// medianDelay returns the median age at delivery, in seconds, of the
// leads of one vendor and period within the range, interpolated between
// the two middle values as lead's quantile does.
func (s *Service) medianDelay(ctx context.Context, g lead.PeriodTotals, r Range) (float64, error) {
	if g.Leads == 0 {
		return 0, nil
	}
	f := rapport.BoughtLeadFilter{VendorID: g.VendorID, Since: rapport.Latest(r.Since, g.Start), Until: rapport.Earliest(r.Until, g.End)}
	pos := 0.5 * float64(g.Leads-1)
	lo := int(math.Floor(pos))
	ds, err := s.cfg.Store.FindLeadDelays(ctx, f, lo, 2)
	if err != nil {
		return 0, fmt.Errorf("median age at delivery of %s %s: %w", g.VendorID, g.Period, err)
	}
	if len(ds) == 0 {
		return 0, nil
	}
	x, y := ds[0].Seconds(), ds[len(ds)-1].Seconds()
	return x + (y-x)*(pos-float64(lo)), nil
}

// filter is the range as a store filter.
func (r Range) filter() rapport.BoughtLeadFilter {
	return rapport.BoughtLeadFilter{VendorID: r.VendorID, Since: r.Since, Until: r.Until}
}

// trendPage is how many leads a trends report reads at a time.
const trendPage = 1000

// Trends returns the shopping journey per demographic group, walking the
// range a page of leads (and their contact attempts) at a time.
func (s *Service) Trends(ctx context.Context, r Range, dim string) ([]lead.Trend, error) {
	b := lead.NewTrendBuilder(dim)
	after := ""
	for {
		page, err := s.cfg.Store.ScanBoughtLeads(ctx, r.filter(), after, trendPage)
		if err != nil {
			return nil, err
		}
		if len(page) == 0 {
			return b.Trends(), nil
		}
		ids := make([]string, len(page))
		for i := range page {
			ids[i] = page[i].ID
		}
		cs, err := s.cfg.Store.FindContactsOf(ctx, ids)
		if err != nil {
			return nil, fmt.Errorf("read contact attempts: %w", err)
		}
		b.Add(page, cs)
		after = ids[len(ids)-1]
	}
}

// DuplicatesPage returns a page of the people sold more than once in
// range, most inquiries first, with every inquiry of theirs in range,
// and how many such people there are.
func (s *Service) DuplicatesPage(ctx context.Context, r Range, offset, limit int) ([]lead.Person, int, error) {
	f := r.filter()
	f.Offset, f.Limit = offset, limit
	ids, total, err := s.cfg.Store.FindDuplicatePersons(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	var ls []rapport.Lead
	for _, id := range ids {
		pf := r.filter()
		pf.PersonID, pf.Limit = id, 1000
		page, _, err := s.cfg.Store.FindBoughtLeads(ctx, pf)
		if err != nil {
			return nil, 0, fmt.Errorf("read leads of person %s: %w", id, err)
		}
		ls = append(ls, page...)
	}
	return lead.Duplicates(ls), total, nil
}

// Distribution counts the leads in range per vendor and bucket of a
// measure (rapport.MeasureToFirstAttempt, MeasureAgeAtDelivery,
// MeasureAge), in the store.
func (s *Service) Distribution(ctx context.Context, r Range, measure string, bounds []time.Duration) ([]rapport.LeadBucket, error) {
	return s.cfg.Store.FindLeadHistogram(ctx, r.filter(), measure, bounds, s.cfg.Clock.Now())
}

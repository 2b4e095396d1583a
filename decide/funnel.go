package decide

import (
	"context"
	"fmt"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/offer"
)

// Default funnel ranges, ending now, when a request names no from.
const (
	DefaultFunnelDays  = 30
	DefaultFunnelWeeks = 12
)

// FunnelRequest asks for the funnel over a range of periods.
type FunnelRequest struct {
	// Period is offer.PeriodDay or offer.PeriodWeek; empty means weeks.
	Period string
	// From and To bound the range, widened to whole periods; a zero To
	// is now, a zero From the default number of periods before To.
	From, To time.Time
}

// Funnel counts the acquisition → activation → activity funnel per
// period, in the store, over the offers of the catalog (each counts in
// the stage it serves now; docs/offers.md#the-funnel).
func (s *Service) Funnel(ctx context.Context, req FunnelRequest) (offer.Funnel, error) {
	if req.Period == "" {
		req.Period = offer.PeriodWeek
	}
	if req.To.IsZero() {
		req.To = s.cfg.Clock.Now()
	}
	if req.From.IsZero() {
		req.From = req.To.AddDate(0, 0, -DefaultFunnelDays)
		if req.Period == offer.PeriodWeek {
			req.From = req.To.AddDate(0, 0, -7*DefaultFunnelWeeks)
		}
	}
	span, err := offer.NewFunnelSpan(req.Period, req.From, req.To)
	if err != nil {
		return offer.Funnel{}, err
	}
	stages := map[string]string{}
	for _, o := range s.engine.Catalog().Offers() {
		stages[o.Definition().ID] = o.Definition().Stage
	}
	counts, err := s.cfg.Store.FindOfferFunnel(ctx, span.Query(stages))
	if err != nil {
		return offer.Funnel{}, fmt.Errorf("count the offer funnel: %w", err)
	}
	return offer.NewFunnel(span, counts), nil
}

// Trim rolls up and deletes the decisions and outcomes older than the
// retention, from the start of the day they fall in, so that whole days
// are rolled up. It does nothing when the retention is zero.
func (s *Service) Trim(ctx context.Context) error {
	if s.cfg.Retention <= 0 {
		return nil
	}
	before := s.cfg.Clock.Now().Add(-s.cfg.Retention).UTC().Truncate(24 * time.Hour)
	trim, err := s.cfg.Store.TrimOffers(ctx, before)
	if err != nil {
		return fmt.Errorf("trim offer decisions before %s: %w", before.Format(time.DateOnly), err)
	}
	if trim != (rapport.OfferTrim{}) {
		s.log.Info("offers: old decisions and outcomes rolled up", "before", before.Format(time.DateOnly),
			"decisions", trim.Decisions, "outcomes", trim.Outcomes)
	}
	return nil
}

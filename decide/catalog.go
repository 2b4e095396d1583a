package decide

import (
	"context"
	"fmt"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/offer"
)

// reservedIDs cannot name an offer: they are paths of the API beside the
// offers' own.
var reservedIDs = map[string]bool{"report": true, "funnel": true}

// PutOffer compiles an offer (a *offer.CompileError with the line and
// column of a broken eligibility), stores it and puts the catalog with it
// in use.
func (s *Service) PutOffer(ctx context.Context, o *rapport.Offer) error {
	if reservedIDs[o.ID] {
		return rapport.Errorf(rapport.EINVALID, "id %q is reserved", o.ID)
	}
	if _, err := offer.CompileOffer(o); err != nil {
		return err
	}
	if err := s.cfg.Store.PutOffer(ctx, o); err != nil {
		return err
	}
	return s.reload(ctx)
}

// DeleteOffer removes an offer from the catalog; its decisions and
// outcomes stay for reports.
func (s *Service) DeleteOffer(ctx context.Context, id string) error {
	if err := s.cfg.Store.DeleteOffer(ctx, id); err != nil {
		return err
	}
	return s.reload(ctx)
}

// PutTrigger compiles a trigger, stores it and puts it in use.
func (s *Service) PutTrigger(ctx context.Context, t *rapport.Trigger) error {
	if _, err := offer.CompileTrigger(t); err != nil {
		return err
	}
	if err := s.cfg.Store.PutTrigger(ctx, t); err != nil {
		return err
	}
	return s.reload(ctx)
}

// DeleteTrigger removes a trigger.
func (s *Service) DeleteTrigger(ctx context.Context, id string) error {
	if err := s.cfg.Store.DeleteTrigger(ctx, id); err != nil {
		return err
	}
	return s.reload(ctx)
}

// Report counts the outcomes at or after since (zero for all) per offer
// and arm, with accept rates, their intervals and the lift over the
// control group.
func (s *Service) Report(ctx context.Context, since time.Time) (offer.Report, error) {
	stats, err := s.cfg.Store.FindOfferStats(ctx, since)
	if err != nil {
		return offer.Report{}, fmt.Errorf("read offer stats: %w", err)
	}
	offers := map[string]*rapport.Offer{}
	for _, o := range s.engine.Catalog().Offers() {
		offers[o.Definition().ID] = o.Definition()
	}
	return offer.NewReport(stats, offers, s.engine.Learner().Retired()), nil
}

package leads

import (
	"context"
	"fmt"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/lead"
)

// Return gives a lead back to its vendor for a reason its contract
// accepts, within its return window, crediting the price paid. EINVALID
// for a reason the contract does not list, ECONFLICT when the lead cannot
// be returned (window closed, returned already, not paid, no returns in
// the contract), ENOTFOUND for an unknown lead.
func (s *Service) Return(ctx context.Context, id, reason string) (*rapport.Lead, error) {
	l, err := s.cfg.Store.FindLeadByID(ctx, id)
	if err != nil {
		return nil, err
	}
	v, err := s.cfg.Store.FindVendorByID(ctx, l.VendorID)
	if err != nil {
		return nil, fmt.Errorf("read vendor of lead %s: %w", id, err)
	}
	now := s.cfg.Clock.Now()
	reason, credit, err := lead.CheckReturn(l, v, reason, now)
	if err != nil {
		return nil, err
	}
	if err := s.cfg.Store.ReturnLead(ctx, rapport.LeadReturn{LeadID: id, Reason: reason, At: now, Credit: credit}); err != nil {
		return nil, err
	}
	return s.cfg.Store.FindLeadByID(ctx, id)
}

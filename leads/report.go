package leads

import (
	"context"
	"fmt"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/lead"
)

// MaxReportLeads bounds the leads the reports computed in memory read
// (speed per lead and group, duplicates in full, prices): a wider range
// must be narrowed (since, until, vendor). Scorecards, trends, the
// duplicates page and the distributions have no bound: the store adds
// them up, or they walk the range a page at a time.
const MaxReportLeads = 200_000

// Range selects the leads a report covers: received in [Since, Until)
// (open where zero), of one vendor when VendorID is set.
type Range struct {
	Since, Until time.Time
	VendorID     string
}

// leadsIn reads every lead received in [since, until), of one vendor when
// vendorID is set.
func (s *Service) leadsIn(ctx context.Context, since, until time.Time, vendorID string) ([]rapport.Lead, error) {
	var out []rapport.Lead
	f := rapport.BoughtLeadFilter{VendorID: vendorID, Since: since, Until: until, Limit: 1000}
	for {
		page, total, err := s.cfg.Store.FindBoughtLeads(ctx, f)
		if err != nil {
			return nil, fmt.Errorf("read leads: %w", err)
		}
		if total > MaxReportLeads {
			return nil, rapport.Errorf(rapport.EINVALID, "%d leads in range, at most %d: narrow since, until or vendor", total, MaxReportLeads)
		}
		out = append(out, page...)
		if len(page) < f.Limit {
			return out, nil
		}
		f.Offset += len(page)
	}
}

// Speeds returns speed-to-lead per lead, newest first.
func (s *Service) Speeds(ctx context.Context, r Range) ([]lead.LeadSpeed, error) {
	ls, err := s.leadsIn(ctx, r.Since, r.Until, r.VendorID)
	if err != nil {
		return nil, err
	}
	now := s.cfg.Clock.Now()
	out := make([]lead.LeadSpeed, len(ls))
	for i := range ls {
		out[i] = lead.SpeedOf(&ls[i], now, s.cfg.SLA)
	}
	return out, nil
}

// SpeedBy returns speed-to-lead per vendor or team.
func (s *Service) SpeedBy(ctx context.Context, r Range, by string) ([]lead.SpeedGroup, error) {
	ls, err := s.leadsIn(ctx, r.Since, r.Until, r.VendorID)
	if err != nil {
		return nil, err
	}
	return lead.SpeedBy(ls, by, s.cfg.Clock.Now(), s.cfg.SLA), nil
}

// Duplicates returns the people sold more than once in range, with every
// inquiry, the vendors and when.
func (s *Service) Duplicates(ctx context.Context, r Range) ([]lead.Person, error) {
	ls, err := s.leadsIn(ctx, r.Since, r.Until, r.VendorID)
	if err != nil {
		return nil, err
	}
	return lead.Duplicates(ls), nil
}

// Prices returns the recommended maximum price per vendor and segment.
func (s *Service) Prices(ctx context.Context, r Range, by string) ([]lead.PriceAdvice, error) {
	ls, err := s.leadsIn(ctx, r.Since, r.Until, r.VendorID)
	if err != nil {
		return nil, err
	}
	return lead.Prices(ls, by), nil
}

// Consent returns a lead's consent record, as sold, with its evidence
// hash recomputed, and the profile's current check for each channel.
func (s *Service) Consent(ctx context.Context, id string) (*ConsentProof, error) {
	l, err := s.cfg.Store.FindLeadByID(ctx, id)
	if err != nil {
		return nil, err
	}
	p := &ConsentProof{LeadID: l.ID, VendorID: l.VendorID, Contactable: l.Contactable, Problem: l.ConsentProblem,
		Record: l.Consent, Checks: []Check{}}
	if l.Consent == nil {
		return p, nil
	}
	p.HashMatches = lead.EvidenceHash(l.Consent, l.VendorID) == l.Consent.EvidenceHash
	now := s.cfg.Clock.Now()
	for _, ch := range rapport.ConsentChannels {
		c, err := s.checkConsent(ctx, l, ch, now)
		if err != nil {
			return nil, err
		}
		p.Checks = append(p.Checks, c)
	}
	return p, nil
}

// ConsentProof is what an auditor asks about a lead's consent.
type ConsentProof struct {
	LeadID      string               `json:"leadId"`
	VendorID    string               `json:"vendorId"`
	Contactable bool                 `json:"contactable"`
	Problem     string               `json:"problem,omitempty"`
	Record      *rapport.LeadConsent `json:"record"`
	// HashMatches says the stored evidence hash is the hash of the stored
	// record: nothing was changed since it was sold.
	HashMatches bool `json:"hashMatches"`
	// Checks are, per channel, whether the person may be contacted now.
	Checks []Check `json:"checks"`
}

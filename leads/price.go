package leads

import (
	"context"
	"fmt"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/lead"
)

// Bid answers a vendor's ping: what the lead is worth to this buyer, the
// most worth paying, and whether to buy at the asking price.
type Bid struct {
	// Bid is the offer: the recommended maximum price (a truthful bid).
	Bid   float64           `json:"bid"`
	Value rapport.LeadValue `json:"value"`
	// Accept says the asking price (the ping's price, else the vendor's)
	// is at most the bid.
	Accept      bool    `json:"accept"`
	AskingPrice float64 `json:"askingPrice"`
	Tier        string  `json:"tier"`
	// Inquiry is the person's inquiry count with this one, when the ping
	// carried an email, phone or name and address that found them.
	Inquiry         int     `json:"inquiry"`
	Contactable     bool    `json:"contactable"`
	ConsentProblem  string  `json:"consentProblem,omitempty"`
	Engagement      float64 `json:"engagement"`
	EngagementLevel string  `json:"engagementLevel"`
}

// Price values a lead a vendor offers, without buying it: the same
// preparation, duplicate lookup and value as intake, and nothing stored.
// A ping may leave out the contact data (pings often do, to be filled on
// the post); it is then priced as a first inquiry.
func (s *Service) Price(ctx context.Context, v *rapport.Vendor, l rapport.Lead) (*Bid, error) {
	anonymous := l.Person.Email == "" && l.Person.Phone == ""
	if anonymous {
		l.Person.Email = "ping@invalid.example" // stands in for the contact data; never stored nor matched
	}
	if err := lead.Prepare(&l, v, s.cfg.Clock.Now()); err != nil {
		return nil, err
	}
	var keys []string
	if !anonymous {
		keys = lead.MatchKeys(&l)
	}
	h, err := s.cfg.Store.FindLeadHistory(ctx, keys)
	if err != nil {
		return nil, fmt.Errorf("price lead of %s: %w", v.ID, err)
	}
	h.Apply(&l)
	lead.Complete(&l, v, s.Estimator(), s.cfg.Pricing, s.cfg.Routing, 0)
	return &Bid{Bid: l.Value.MaxPrice, Value: l.Value, Accept: l.Price <= l.Value.MaxPrice, AskingPrice: l.Price,
		Tier: l.Tier, Inquiry: l.Inquiry, Contactable: l.Contactable, ConsentProblem: l.ConsentProblem,
		Engagement: l.Engagement, EngagementLevel: l.EngagementLevel}, nil
}

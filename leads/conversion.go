package leads

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/lead"
)

// sweepPage is how many stored events one step of the sweep reads.
const sweepPage = 1000

// SweepConversions credits the orders applied since the last sweep to
// the leads that brought their buyers: it reads the stored events after
// the store's conversion cursor, and for each conversion event (Order
// Completed unless configured otherwise) finds the profile that placed
// it, the persons of the leads that profile holds, and the lead that
// takes the credit (lead.Credit); the conversions and the new cursor are
// written in one transaction per page, so a crash repeats a page and
// never counts an order twice. It returns how many leads it credited.
func (s *Service) SweepConversions(ctx context.Context) (int, error) {
	after, err := s.cfg.Store.LeadConversionCursor(ctx)
	if err != nil {
		return 0, err
	}
	// A store without leads has nothing to credit: the sweep only moves
	// its cursor, without reading the profile of every order.
	some, err := s.cfg.Store.ScanBoughtLeads(ctx, rapport.BoughtLeadFilter{}, "", 1)
	if err != nil {
		return 0, fmt.Errorf("look for leads: %w", err)
	}
	bought := len(some)
	total := 0
	for {
		evs, err := s.cfg.Store.ReadEvents(ctx, after, sweepPage)
		if err != nil {
			return total, fmt.Errorf("read events after %d: %w", after, err)
		}
		if len(evs) == 0 {
			return total, nil
		}
		var cs []rapport.LeadConversion
		for i := range evs {
			if bought == 0 {
				break
			}
			c, err := s.conversionOf(ctx, &evs[i])
			if err != nil {
				return total, fmt.Errorf("credit order %s: %w", evs[i].MessageID, err)
			}
			if c != nil {
				cs = append(cs, *c)
			}
		}
		after = evs[len(evs)-1].Seq
		n, err := s.cfg.Store.ConvertLeads(ctx, cs, after)
		if err != nil {
			return total, err
		}
		total += n
		if len(evs) < sweepPage {
			return total, nil
		}
	}
}

// conversionOf returns the conversion an event makes, or nil when it is
// not a conversion event or no lead takes the credit.
func (s *Service) conversionOf(ctx context.Context, ev *rapport.Event) (*rapport.LeadConversion, error) {
	if ev.Type != rapport.EventTrack || ev.Event != s.cfg.ConversionEvent {
		return nil, nil
	}
	p, err := s.profileOf(ctx, ev)
	if p == nil || err != nil {
		return nil, err
	}
	var ls []rapport.Lead
	for _, person := range leadPersons(p) {
		page, _, err := s.cfg.Store.FindBoughtLeads(ctx, rapport.BoughtLeadFilter{PersonID: person, Limit: 1000})
		if err != nil {
			return nil, fmt.Errorf("read leads of person %s: %w", person, err)
		}
		ls = append(ls, page...)
	}
	l := lead.Credit(ls, ev.Timestamp, s.cfg.OutcomeWindow)
	if l == nil {
		return nil, nil
	}
	return &rapport.LeadConversion{LeadID: l.ID, MessageID: ev.MessageID, At: ev.Timestamp,
		Revenue: lead.OrderRevenue(ev.Properties)}, nil
}

// profileOf returns the profile holding the event's userId (else its
// anonymousId), following merges when the profile found has been merged
// away since; nil when there is none (erased).
func (s *Service) profileOf(ctx context.Context, ev *rapport.Event) (*rapport.Profile, error) {
	var id string
	for _, key := range []rapport.Identity{{Kind: rapport.IdentityUserID, Value: ev.UserID},
		{Kind: rapport.IdentityAnonymousID, Value: ev.AnonymousID}} {
		if key.Value == "" {
			continue
		}
		pid, err := s.cfg.Store.FindProfileIDByIdentity(ctx, key)
		if rapport.ErrorCode(err) == rapport.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, fmt.Errorf("find profile of %s: %w", key.Kind, err)
		}
		id = pid
		break
	}
	if id == "" {
		return nil, nil
	}
	p, err := s.cfg.Store.FindProfileByID(ctx, id)
	if rapport.ErrorCode(err) != rapport.ENOTFOUND {
		return p, err
	}
	// Merged into another between the two reads: follow the merges.
	if id, err = rapport.FindSurvivor(ctx, s.cfg.Store, id); id == "" || err != nil {
		return nil, err
	}
	p, err = s.cfg.Store.FindProfileByID(ctx, id)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		return nil, nil
	}
	return p, err
}

// leadPersons returns the lead persons a profile holds: the events of a
// person's leads carry the anonymousId lead:<personId>, and merges move
// identities, so a profile that absorbed a lead's profile holds it too.
func leadPersons(p *rapport.Profile) []string {
	var out []string
	for _, id := range p.Identities {
		if person, ok := strings.CutPrefix(id.Value, lead.AnonymousPrefix); ok && id.Kind == rapport.IdentityAnonymousID {
			out = append(out, person)
		}
	}
	return out
}

// runConversions sweeps every ConvertEvery until ctx is done. A failed
// sweep is logged and tried again at the next tick: the cursor did not
// move past what it missed.
func (s *Service) runConversions(ctx context.Context) {
	t := time.NewTicker(s.cfg.ConvertEvery)
	defer t.Stop()
	for {
		if _, err := s.SweepConversions(ctx); err != nil && ctx.Err() == nil {
			s.cfg.Logger.Error("lead conversion sweep", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

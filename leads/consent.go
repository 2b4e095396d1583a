package leads

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/lead"
)

// EventConsentChecked records, on the person's profile, that a contact
// path checked their consent before using it, and what it found.
const EventConsentChecked = "Consent Checked"

// Check is one consent check: may lead l be contacted on a channel, and
// by whose record.
type Check struct {
	LeadID  string `json:"leadId"`
	Channel string `json:"channel"`
	Allowed bool   `json:"allowed"`
	// Source is "profile" when the person's profile holds a record for
	// the channel (which includes later revocations), else "lead" (the
	// consent sold with the lead, before its events are applied).
	Source string    `json:"source"`
	At     time.Time `json:"at"`
}

// checkConsent decides whether l may be contacted on channel: the
// profile's record for the channel when there is one, since it holds a
// revocation made after the lead was bought; else the lead's own record.
func (s *Service) checkConsent(ctx context.Context, l *rapport.Lead, channel string, now time.Time) (Check, error) {
	c := Check{LeadID: l.ID, Channel: channel, At: now, Source: "lead", Allowed: lead.MayContact(l, channel)}
	pid, err := s.cfg.Store.FindProfileIDByIdentity(ctx, rapport.Identity{Kind: rapport.IdentityAnonymousID, Value: lead.AnonymousID(l.PersonID)})
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		return c, nil
	} else if err != nil {
		return c, fmt.Errorf("find the profile of lead %s: %w", l.ID, err)
	}
	p, err := s.cfg.Store.FindProfileByID(ctx, pid)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		return c, nil
	} else if err != nil {
		return c, fmt.Errorf("read the profile of lead %s: %w", l.ID, err)
	}
	if _, ok := p.Consents[channel]; ok {
		c.Source, c.Allowed = "profile", p.ConsentTo(channel)
	}
	return c, nil
}

// checkEvent records a check on the person's profile.
func checkEvent(c Check, l *rapport.Lead, purpose string, n int) rapport.Event {
	result := "blocked"
	if c.Allowed {
		result = "allowed"
	}
	return rapport.Event{
		MessageID: "consent-check-" + l.ID + "-" + strconv.FormatInt(c.At.UnixNano(), 36) + "-" + strconv.Itoa(n),
		Type:      rapport.EventTrack, Event: EventConsentChecked, AnonymousID: lead.AnonymousID(l.PersonID),
		Timestamp: c.At, Context: map[string]any{"channel": "lead"},
		Properties: map[string]any{"channel": c.Channel, "purpose": purpose, "result": result, "source": c.Source,
			"lead_id": l.ID},
	}
}

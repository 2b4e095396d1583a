package leads

import (
	"context"
	"fmt"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/lead"
)

// ContactResult is what became of one reported contact attempt.
type ContactResult struct {
	Index     int    `json:"index"`
	MessageID string `json:"messageId,omitempty"`
	// Consent says whether the lead's consent covered the attempt's
	// channel when it was made: granted, or missing (the attempt is kept,
	// and the answer and the event say it was made without consent).
	Consent string `json:"consent,omitempty"`
	Error   string `json:"error,omitempty"`
}

// Contacts records contact attempts on leads: each becomes a Lead Contact
// Attempted event on the person's profile (and Lead Converted for a sale,
// Consent Revoked for do_not_call), appended to the log, and updates the
// lead's attempts, first contact and conversion in the store. An attempt
// without a messageId gets one from its lead, time and outcome, so a
// retry counts once. Invalid attempts get an error each; the returned
// error is for the whole call.
func (s *Service) Contacts(ctx context.Context, in []rapport.LeadContact) ([]ContactResult, error) {
	results := make([]ContactResult, len(in))
	var ok []rapport.LeadContact
	var events []rapport.Event
	for i := range in {
		c := in[i]
		results[i].Index = i
		l, err := s.checkContact(ctx, &c)
		if err != nil {
			if code := rapport.ErrorCode(err); code != rapport.EINVALID && code != rapport.ENOTFOUND {
				return nil, err
			}
			results[i].Error = rapport.ErrorMessage(err)
			continue
		}
		results[i].MessageID, results[i].Consent = c.MessageID, consentWord(lead.MayContact(l, c.Channel))
		evs := lead.ContactEvents(&c, l)
		evs[0].Properties["consent"] = results[i].Consent
		events = append(events, evs...)
		ok = append(ok, c)
	}
	if len(ok) == 0 {
		return results, nil
	}
	if err := s.cfg.Ingest.Append(ctx, events); err != nil {
		return nil, fmt.Errorf("append %d contact attempts: %w", len(ok), err)
	}
	if err := s.cfg.Store.RecordLeadContacts(ctx, ok); err != nil {
		return nil, fmt.Errorf("record %d contact attempts: %w", len(ok), err)
	}
	return results, nil
}

// checkContact validates an attempt and returns its lead.
func (s *Service) checkContact(ctx context.Context, c *rapport.LeadContact) (*rapport.Lead, error) {
	if err := lead.CheckContact(c); err != nil {
		return nil, err
	}
	l, err := s.cfg.Store.FindLeadByID(ctx, c.LeadID)
	if err != nil {
		return nil, err
	}
	if c.MessageID == "" {
		c.MessageID = "lead-contact-" + c.LeadID + "-" + fmt.Sprint(c.At.UnixNano()) + "-" + c.Outcome
	}
	if c.Team == "" {
		c.Team = l.Team
	}
	return l, nil
}

func consentWord(granted bool) string {
	if granted {
		return "granted"
	}
	return "missing"
}

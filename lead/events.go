package lead

import (
	"maps"
	"strings"

	"github.com/rapportdev/rapport"
)

// Event names a lead's life is recorded with.
const (
	EventLeadSubmitted  = "Lead Submitted"
	EventContactAttempt = "Lead Contact Attempted"
	EventLeadConverted  = "Lead Converted"
)

// AnonymousID is the anonymousId of every event about a person's leads:
// the same for all of their inquiries, so they join one profile even when
// only the name and address matched. Email and phone join it to the
// profile identity resolution finds.
func AnonymousID(personID string) string { return AnonymousPrefix + personID }

// AnonymousPrefix begins the anonymousId of every lead person's events.
const AnonymousPrefix = "lead:"

// Events returns the events a stored lead becomes, each at the time it
// happened: an identify with the person's contact data and answers as
// traits (so the fit dimension scores them), a Lead Submitted track with
// the lead's attributes and form signals (whose form_engagement the
// scoring templates count as engagement), and, when the consent record is
// valid, a Consent Granted track per channel carrying the evidence, so
// the proof stays in the store. MessageIds derive from the lead id: a
// retry appends the same events, which the processor applies once.
func Events(l *rapport.Lead) []rapport.Event {
	anon := AnonymousID(l.PersonID)
	ctx := map[string]any{"channel": "lead", "traits": contactTraits(l)}
	if l.Form.IP != "" {
		ctx["ip"] = l.Form.IP
	}
	if l.Form.UserAgent != "" {
		ctx["userAgent"] = l.Form.UserAgent
	}
	if l.Page != "" {
		ctx["page"] = map[string]any{"url": l.Page}
	}
	evs := []rapport.Event{
		{MessageID: "lead-" + l.ID + "-identify", Type: rapport.EventIdentify, AnonymousID: anon,
			Traits: personTraits(l), Context: ctx, Timestamp: l.SubmittedAt, ReceivedAt: l.ReceivedAt},
		{MessageID: "lead-" + l.ID, Type: rapport.EventTrack, Event: EventLeadSubmitted, AnonymousID: anon,
			Properties: leadProperties(l), Context: ctx, Timestamp: l.SubmittedAt, ReceivedAt: l.ReceivedAt},
	}
	if !l.Contactable {
		return evs
	}
	c := l.Consent
	for _, ch := range c.Channels {
		cctx := maps.Clone(ctx)
		if c.IP != "" {
			cctx["ip"] = c.IP
		}
		evs = append(evs, rapport.Event{MessageID: "lead-" + l.ID + "-consent-" + ch, Type: rapport.EventTrack,
			Event: rapport.EventConsentGranted, AnonymousID: anon, Context: cctx, Timestamp: c.At, ReceivedAt: l.ReceivedAt,
			Properties: map[string]any{"channel": ch, "text": c.Text, "source": "vendor " + l.VendorID,
				"proof_url": c.ProofURL, "page": c.Page, "method": c.Method, "user_agent": c.UserAgent,
				"evidence_hash": c.EvidenceHash, "lead_id": l.ID}})
	}
	return evs
}

// contactTraits are the identities, in context.traits so every event of
// the lead resolves to the person's profile.
func contactTraits(l *rapport.Lead) map[string]any {
	t := map[string]any{}
	if l.Person.Email != "" {
		t["email"] = l.Person.Email
	}
	if l.Person.Phone != "" {
		t["phone"] = l.Person.Phone
	}
	return t
}

// personTraits are the traits of the identify: contact data, the answers
// (which often are the demographics fit rules read: age, income,
// marital_status), and the count of inquiries, the intent a repeat raises.
func personTraits(l *rapport.Lead) map[string]any {
	t := make(map[string]any, len(l.Answers)+8)
	for k, v := range l.Answers {
		t[k] = v
	}
	p := &l.Person
	set := func(k, v string) {
		if v != "" {
			t[k] = v
		}
	}
	set("first_name", p.FirstName)
	set("last_name", p.LastName)
	set("email", p.Email)
	set("phone", p.Phone)
	if a := p.Address; a != (rapport.LeadAddress{}) {
		t["address"] = map[string]any{"street": a.Street, "city": a.City, "state": a.Region,
			"postal_code": a.PostalCode, "country": a.Country}
	}
	if p.BirthYear != 0 {
		t["birth_year"] = p.BirthYear
		if _, ok := t["age"]; !ok {
			t["age"] = l.SubmittedAt.Year() - p.BirthYear
		}
	}
	t["lead_inquiries"] = l.Inquiry
	t["contactable"] = l.Contactable
	return t
}

// leadProperties are the Lead Submitted event's properties.
func leadProperties(l *rapport.Lead) map[string]any {
	f := &l.Form
	return map[string]any{
		"lead_id": l.ID, "vendor_id": l.VendorID, "external_id": l.ExternalID, "person_id": l.PersonID,
		"price": l.Price, "inquiry": l.Inquiry, "earlier_vendors": l.EarlierVendors,
		"form_engagement": l.EngagementLevel, "engagement": l.Engagement,
		"form_seconds": f.Seconds, "form_input": f.Input, "completed_by": f.CompletedBy,
		"device_leads_5m": f.DeviceLeads5m, "bot_score": f.BotScore, "bot_suspected": BotSuspected(f),
		"page": l.Page, "source": l.Source, "tier": l.Tier, "team": l.Team,
		"contactable": l.Contactable, "consent_problem": l.ConsentProblem,
		"probability": l.Value.Probability, "expected_value": l.Value.Expected, "max_price": l.Value.MaxPrice,
		"age_at_delivery_seconds": l.ReceivedAt.Sub(l.SubmittedAt).Seconds(),
		"delivery_delay_seconds":  l.DeliveryDelay().Seconds(),
		"hour":                    l.SubmittedAt.Hour(),
		"weekday":                 strings.ToLower(l.SubmittedAt.Weekday().String()[:3]),
	}
}

// ContactEvents returns the events a contact attempt on lead l becomes:
// the attempt itself; a Lead Converted for a sale, with its value as
// revenue; and a Consent Revoked for the channel when the person asked
// not to be contacted again.
func ContactEvents(c *rapport.LeadContact, l *rapport.Lead) []rapport.Event {
	anon := AnonymousID(l.PersonID)
	props := map[string]any{"lead_id": c.LeadID, "vendor_id": l.VendorID, "outcome": c.Outcome,
		"channel": c.Channel, "agent": c.Agent, "team": c.Team, "reached": c.Reached,
		"seconds_since_submitted": c.At.Sub(l.SubmittedAt).Seconds()}
	ctx := map[string]any{"channel": "lead"}
	evs := []rapport.Event{{MessageID: c.MessageID, Type: rapport.EventTrack, Event: EventContactAttempt,
		AnonymousID: anon, Properties: props, Context: ctx, Timestamp: c.At}}
	if c.Converted {
		evs = append(evs, rapport.Event{MessageID: c.MessageID + "-converted", Type: rapport.EventTrack,
			Event: EventLeadConverted, AnonymousID: anon, Context: ctx, Timestamp: c.At,
			Properties: map[string]any{"lead_id": c.LeadID, "vendor_id": l.VendorID, "revenue": c.Value}})
	}
	if c.Outcome == "do_not_call" {
		evs = append(evs, rapport.Event{MessageID: c.MessageID + "-revoked", Type: rapport.EventTrack,
			Event: rapport.EventConsentRevoked, AnonymousID: anon, Context: ctx, Timestamp: c.At,
			Properties: map[string]any{"channel": c.Channel, "source": "contact attempt on lead " + c.LeadID}})
	}
	return evs
}

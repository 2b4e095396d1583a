package rapport

import "time"

// Consent events: a track call with one of these names records a
// person's permission to be contacted on a channel, or its withdrawal.
// Properties: channel (one of ConsentChannels, required), text (the
// words the person agreed to), source ("signup form", "vendor acme"),
// proof_url (a certificate such as a TrustedForm or Jornaya link), page
// (where it was given); the IP comes from context.ip.
const (
	EventConsentGranted = "Consent Granted"
	EventConsentRevoked = "Consent Revoked"
)

// Consent is the latest recorded permission of a person for one contact
// channel, with the evidence it was given with. The event that recorded
// it stays in the store (MessageID), so the proof outlives later
// changes: GET /api/v1/profiles/{id}/consent lists every record.
type Consent struct {
	Channel string `json:"channel"`
	Granted bool   `json:"granted"`
	// At is when the person gave or withdrew it (the event's time).
	At        time.Time `json:"at"`
	Source    string    `json:"source,omitempty"`
	Text      string    `json:"text,omitempty"`
	ProofURL  string    `json:"proofUrl,omitempty"`
	Page      string    `json:"page,omitempty"`
	IP        string    `json:"ip,omitempty"`
	MessageID string    `json:"messageId"`
}

// ConsentTo reports whether the profile may be contacted on channel: a
// consent record for it that is granted. No record means no.
func (p *Profile) ConsentTo(channel string) bool {
	c, ok := p.Consents[channel]
	return ok && c.Granted
}

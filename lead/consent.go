package lead

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"time"

	"github.com/rapportdev/rapport"
)

// Consent methods a record may name.
var consentMethods = []string{"checkbox", "form", "verbal", "written"}

// consentLead is how long before the form's submission a consent may have
// been given (a consent from an earlier visit) and still count.
const consentLead = 90 * 24 * time.Hour

// EvidenceHash returns the SHA-256, in hex, of a consent's evidence with
// the vendor that sold it: the exact text, time (RFC 3339, UTC,
// nanoseconds), IP, user agent, method, page, channels (sorted) and proof
// URL, each on its own line. A vendor that sends the hash commits to the
// record; an auditor recomputes it from the stored record.
func EvidenceHash(c *rapport.LeadConsent, vendorID string) string {
	channels := slices.Clone(c.Channels)
	slices.Sort(channels)
	h := sha256.New()
	for _, part := range []string{vendorID, c.Text, c.At.UTC().Format(time.RFC3339Nano), c.IP, c.UserAgent,
		c.Method, c.Page, strings.Join(channels, ","), c.ProofURL} {
		h.Write([]byte(part))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// CheckConsent returns why the lead's consent record does not allow
// contact, or "" when it does. It lower-cases the channels and method and
// fills in a missing evidence hash. A record is valid when it has the
// exact text, a time no later than the lead's submission (with a few
// minutes of clock skew) and not long before it, a known method, at least
// one known channel, an IP for the methods given on a web page, and, when
// the vendor sent a hash, one that matches.
func CheckConsent(l *rapport.Lead) string {
	c := l.Consent
	if c == nil {
		return "no consent record"
	}
	c.Method = strings.ToLower(strings.TrimSpace(c.Method))
	for i, ch := range c.Channels {
		c.Channels[i] = strings.ToLower(strings.TrimSpace(ch))
	}
	want := EvidenceHash(c, l.VendorID)
	sent := strings.ToLower(strings.TrimSpace(c.EvidenceHash))
	if sent == "" {
		c.EvidenceHash = want
	}
	switch {
	case strings.TrimSpace(c.Text) == "":
		return "consent has no text: the exact wording shown is required"
	case c.At.IsZero():
		return "consent has no time"
	case c.At.After(l.SubmittedAt.Add(5 * time.Minute)):
		return "consent was given after the form was submitted"
	case c.At.Before(l.SubmittedAt.Add(-consentLead)):
		return "consent is more than 90 days older than the form"
	case !slices.Contains(consentMethods, c.Method):
		return "consent method must be one of " + strings.Join(consentMethods, ", ")
	case len(c.Channels) == 0:
		return "consent names no contact channel"
	case (c.Method == "checkbox" || c.Method == "form") && strings.TrimSpace(c.IP) == "":
		return "consent given on a web form has no IP address"
	case sent != "" && sent != want:
		return "consent evidence hash does not match the record"
	}
	for _, ch := range c.Channels {
		if !slices.Contains(rapport.ConsentChannels, ch) {
			return "consent channel " + ch + " is not one of " + strings.Join(rapport.ConsentChannels, ", ")
		}
	}
	return ""
}

// MayContact reports whether the lead may be contacted on channel: it is
// contactable and its consent names the channel.
func MayContact(l *rapport.Lead, channel string) bool {
	return l.Contactable && l.Consent != nil && slices.Contains(l.Consent.Channels, channel)
}

package profile

import (
	"slices"
	"strings"
	"time"

	"github.com/rapportdev/rapport"
)

// consent applies a Consent Granted or Consent Revoked event: the record
// for its channel, unless the profile holds one from a later event (late
// events do not overwrite newer decisions). An event without a known
// channel is refused, so the tracking API's caller hears of it.
func consent(p *rapport.Profile, ev *rapport.Event, t time.Time) error {
	ch := strings.ToLower(strings.TrimSpace(text(ev.Properties["channel"])))
	if !slices.Contains(rapport.ConsentChannels, ch) {
		return rapport.Errorf(rapport.EINVALID, "%s: properties.channel %q is not one of %s",
			ev.Event, ev.Properties["channel"], strings.Join(rapport.ConsentChannels, ", "))
	}
	granted := ev.Event == rapport.EventConsentGranted
	// A later record wins; at the same instant a withdrawal wins, so a
	// grant and a revoke sent together never leave the person contactable.
	if old, ok := p.Consents[ch]; ok && (old.At.After(t) || old.At.Equal(t) && !old.Granted && granted) {
		return nil
	}
	c := rapport.Consent{Channel: ch, Granted: granted, At: t,
		Source: text(ev.Properties["source"]), Text: text(ev.Properties["text"]),
		ProofURL: text(ev.Properties["proof_url"]), Page: text(ev.Properties["page"]),
		IP: text(ev.Context["ip"]), MessageID: ev.MessageID}
	if p.Consents == nil {
		p.Consents = map[string]rapport.Consent{}
	}
	p.Consents[ch] = c
	return nil
}

// mergeConsents keeps, per channel, the later of the two records.
func mergeConsents(into, from *rapport.Profile) {
	for ch, c := range from.Consents {
		if old, ok := into.Consents[ch]; ok && !c.At.After(old.At) {
			continue
		}
		if into.Consents == nil {
			into.Consents = map[string]rapport.Consent{}
		}
		into.Consents[ch] = c
	}
}

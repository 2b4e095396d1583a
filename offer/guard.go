package offer

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rapportdev/rapport"
)

// InControl reports whether the person with key (the profile id) is in
// the control group of the given share: a stable hash of the key, so a
// person stays in their group across decisions and restarts.
func InControl(key string, share float64) bool {
	if share <= 0 || key == "" {
		return false
	}
	// SHA-256 because FNV's high bits barely move between keys such as
	// p1 and p2: measured, FNV-1a put 12.5% of such ids in a 5% group.
	sum := sha256.Sum256([]byte("rapport-control:" + key))
	// The top 53 bits as a uniform number in [0, 1).
	return float64(binary.BigEndian.Uint64(sum[:8])>>11)/(1<<53) < share
}

// ArmOf returns the arm whose posteriors rank a person's offers: the first
// of learnBy the person is in, else their lifecycle stage, else ArmAll.
func ArmOf(learnBy, segments []string, score *rapport.ScoreRecord) string {
	for _, id := range learnBy {
		if slices.Contains(segments, id) {
			return id
		}
	}
	if score != nil && score.Stage != "" {
		return "stage:" + score.Stage
	}
	return ArmAll
}

// Location returns the person's time zone: the decision's, else the
// profile's timezone trait, else def. Unknown names fall through.
func Location(c rapport.DecisionContext, p *rapport.Profile, def *time.Location) *time.Location {
	names := []string{c.Timezone}
	if p != nil {
		if tz, ok := p.Traits["timezone"].(string); ok {
			names = append(names, tz)
		}
	}
	for _, name := range names {
		if name == "" || strings.EqualFold(name, "local") {
			continue
		}
		if loc, err := time.LoadLocation(name); err == nil {
			return loc
		}
	}
	if def == nil {
		return time.UTC
	}
	return def
}

// checkConsent checks the consent the channel needs (nil p has none).
func checkConsent(p *rapport.Profile, channel string, consentFor map[string]string) rapport.ConsentCheck {
	contact, ok := consentFor[channel]
	if !ok || contact == "" {
		return rapport.ConsentCheck{Result: rapport.ConsentNotRequired}
	}
	c := rapport.ConsentCheck{Channel: contact, Result: rapport.ConsentRefused, Detail: "no record"}
	if p == nil {
		return c
	}
	rec, ok := p.Consents[contact]
	if !ok {
		return c
	}
	c.At, c.MessageID = rec.At, rec.MessageID
	if p.ConsentTo(contact) {
		c.Result, c.Detail = rapport.ConsentGranted, ""
	} else {
		c.Detail = "withdrawn"
	}
	return c
}

// blocked says why no offer may go to the person on the decision's
// channel now, or "".
func (e *Engine) blocked(d *rapport.Decision, local time.Time, sum Summary) string {
	ch := d.Context.Channel
	if !d.Consent.Allowed() {
		return fmt.Sprintf("no consent for %s (%s)", d.Consent.Channel, d.Consent.Detail)
	}
	if q := e.policy.QuietHours; q.quiet(ch, local) {
		return fmt.Sprintf("quiet hours %s-%s in %s (local time %s)", clock(q.From), clock(q.To), local.Location(), local.Format("15:04"))
	}
	if n := e.policy.ChannelCaps[ch]; n > 0 && sum.ChannelToday[ch] >= n {
		return fmt.Sprintf("cap of %d %s offers a day reached", n, ch)
	}
	return ""
}

// excluded says why an eligible offer is left out for this person, or "".
// Caps hold for everyone; suppression and retirement are personalisation,
// which the control group does without.
func (e *Engine) excluded(o *Offer, d *rapport.Decision, sum Summary, post Posterior) string {
	id, caps := o.def.ID, o.def.Caps
	switch {
	case caps.PerDay > 0 && sum.OfferToday[id] >= caps.PerDay:
		return fmt.Sprintf("capped: shown %d times today (cap %d)", sum.OfferToday[id], caps.PerDay)
	case caps.PerWeek > 0 && sum.OfferWeek[id] >= caps.PerWeek:
		return fmt.Sprintf("capped: shown %d times in 7 days (cap %d)", sum.OfferWeek[id], caps.PerWeek)
	case d.Control:
		return ""
	}
	if until, ok := sum.Suppressed[id]; ok {
		return fmt.Sprintf("suppressed until %s: ignored or dismissed %d times", until.UTC().Format(time.RFC3339), e.policy.Suppression.After)
	}
	if post.Retired {
		return fmt.Sprintf("retired in %s: accept rate credibly below %.3g (%d answers, posterior mean %.4f)",
			d.Arm, e.policy.Retirement.Floor, post.Answers, post.Mean())
	}
	return ""
}

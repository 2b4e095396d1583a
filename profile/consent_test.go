package profile_test

import (
	"testing"

	"github.com/rapportdev/rapport"
)

func TestConsentLatestByEventTime(t *testing.T) {
	grant := func(user, anon, channel string, minute int) *rapport.Event {
		ev := track(user, anon, rapport.EventConsentGranted, minute, map[string]any{"channel": channel,
			"text": "Yes, email me offers", "source": "signup form", "proof_url": "https://cert.example/abc"})
		ev.Context = map[string]any{"ip": "203.0.113.9"}
		return ev
	}
	revoke := func(user, anon, channel string, minute int) *rapport.Event {
		return track(user, anon, rapport.EventConsentRevoked, minute, map[string]any{"channel": channel})
	}
	v := newMemView()
	v.apply(t, grant("1", "", "email", 10), grant("1", "", "SMS", 10))
	v.apply(t, revoke("1", "", "sms", 20), grant("1", "", "sms", 15)) // the older grant arrives late
	// An anonymous visitor's phone consent, merged when they identify.
	v.apply(t, grant("", "a1", "phone", 30), revoke("", "a1", "email", 5))
	v.apply(t, identify("1", "a1", 40, nil))
	p := v.user(t, "1")
	for ch, want := range map[string]bool{"email": true, "sms": false, "phone": true, "push": false} {
		if got := p.ConsentTo(ch); got != want {
			t.Errorf("consent to %s = %v, want %v (%+v)", ch, got, want, p.Consents[ch])
		}
	}
	c := p.Consents["email"]
	if c.Text != "Yes, email me offers" || c.ProofURL != "https://cert.example/abc" || c.IP != "203.0.113.9" ||
		c.Source != "signup form" || c.MessageID == "" || !c.At.Equal(at(10)) {
		t.Errorf("email consent record %+v", c)
	}
}

func TestConsentRevokeWinsTiesAndFutureDatesAreNotBelieved(t *testing.T) {
	v := newMemView()
	grant := track("1", "", rapport.EventConsentGranted, 10, map[string]any{"channel": "email"})
	revoke := track("1", "", rapport.EventConsentRevoked, 10, map[string]any{"channel": "email"})
	v.apply(t, revoke, grant)
	if v.user(t, "1").ConsentTo("email") {
		t.Fatal("a grant at the same instant as a revoke won")
	}
	// A grant dated years ahead counts as of its arrival, so a revoke
	// sent a minute later still withdraws it.
	future := track("1", "", rapport.EventConsentGranted, 20, map[string]any{"channel": "sms"})
	future.ReceivedAt, future.Timestamp = at(20), at(20).AddDate(5, 0, 0)
	later := track("1", "", rapport.EventConsentRevoked, 21, map[string]any{"channel": "sms"})
	later.ReceivedAt = at(21)
	v.apply(t, future)
	v.apply(t, later)
	if v.user(t, "1").ConsentTo("sms") {
		t.Fatal("a future-dated grant could not be revoked")
	}
}

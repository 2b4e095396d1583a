package offer_test

import (
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/offer"
)

// t0 is a Wednesday noon in UTC, the tests' "now".
var t0 = time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)

// testOffer returns a valid offer for the channels given.
func testOffer(id, eligibility string, value float64, channels ...string) *rapport.Offer {
	if len(channels) == 0 {
		channels = []string{rapport.ChannelWeb}
	}
	return &rapport.Offer{ID: id, Title: "Offer " + id, Channels: channels, Eligibility: eligibility, Value: value,
		Stage: rapport.StageActivation, CreatedAt: t0, UpdatedAt: t0}
}

// testEngine returns an engine with the policy and the offers compiled.
func testEngine(t *testing.T, p offer.Policy, offers ...*rapport.Offer) *offer.Engine {
	t.Helper()
	var compiled []*offer.Offer
	for _, o := range offers {
		c, err := offer.CompileOffer(o)
		if err != nil {
			t.Fatalf("compile %s: %v", o.ID, err)
		}
		compiled = append(compiled, c)
	}
	cat, err := offer.NewCatalog(compiled, nil)
	if err != nil {
		t.Fatal(err)
	}
	e := offer.NewEngine(p, 1)
	e.SetCatalog(cat)
	return e
}

// person returns a profile, granted consent for the contact channels
// listed.
func person(id string, consents ...string) *rapport.Profile {
	p := &rapport.Profile{ID: id, Kind: rapport.ProfilePerson, Traits: map[string]any{}, Consents: map[string]rapport.Consent{}}
	for _, ch := range consents {
		p.Consents[ch] = rapport.Consent{Channel: ch, Granted: true, At: t0.Add(-time.Hour), MessageID: "m-" + ch}
	}
	return p
}

// offerIDs returns the ids of a decision's offers, in rank order.
func offerIDs(d rapport.Decision) []string {
	ids := []string{}
	for _, o := range d.Offers {
		ids = append(ids, o.OfferID)
	}
	return ids
}

// plainPolicy is the default policy without a control group or
// exploration, so rankings are the learned ones.
func plainPolicy() offer.Policy {
	p := offer.DefaultPolicy()
	p.ControlShare, p.Explore = 0, 0
	return p
}

// outcome returns an outcome of a decision's offer at t0 plus minutes.
func outcome(decision, offerID, typ string, minutes int) rapport.Outcome {
	at := t0.Add(time.Duration(minutes) * time.Minute)
	o := rapport.Outcome{DecisionID: decision, OfferID: offerID, ProfileID: "p1", Type: typ, Channel: rapport.ChannelWeb,
		Arm: offer.ArmAll, At: at}
	if typ == rapport.OutcomeShown {
		o.Due = at.Add(time.Hour)
	}
	return o
}

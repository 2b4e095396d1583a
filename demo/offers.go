package demo

import (
	"fmt"
	"hash/fnv"
	mrand "math/rand/v2"
	"sort"
	"time"

	"github.com/rapportdev/rapport"
)

// OfferPeriod is how far back the demo's offer history goes: the twelve
// weeks the dashboard's funnel shows by default.
const OfferPeriod = 12 * 7 * 24 * time.Hour

// Offers returns the demo's offer catalog: three offers per relationship
// stage, on every channel between them, each with a category the demo's
// people like or not.
func Offers() []*rapport.Offer {
	o := func(id, title, stage, category string, value float64, eligibility string, channels ...string) *rapport.Offer {
		return &rapport.Offer{ID: id, Title: title, Stage: stage, Category: category, Value: value,
			Eligibility: eligibility, Channels: channels, Payload: map[string]any{"text": title}}
	}
	acq, act, loyal := rapport.StageAcquisition, rapport.StageActivation, rapport.StageActivity
	offers := []*rapport.Offer{
		o("welcome-10", "10% off your first order", acq, "welcome", 8, "orders == 0", rapport.ChannelWeb, rapport.ChannelEmail),
		o("newsletter", "Our newsletter: new arrivals first", acq, "content", 2, "", rapport.ChannelWeb),
		o("app-download", "Get the app: free delivery on the first order", acq, "app", 5, "orders < 2",
			rapport.ChannelWeb, rapport.ChannelSMS),
		o("deli-coupon", "10% off at the deli", act, "deli", 4.5, `channel != "beacon" || zone == "deli"`,
			rapport.ChannelBeacon, rapport.ChannelWeb, rapport.ChannelPush),
		o("free-delivery", "Free delivery on your next order", act, "delivery", 6, "",
			rapport.ChannelEmail, rapport.ChannelPush, rapport.ChannelWeb),
		o("size-guide", "How to pick the right size", act, "content", 1.5, "", rapport.ChannelWeb, rapport.ChannelEmail),
		o("loyalty-club", "Join the loyalty club: points on every order", loyal, "loyalty", 10, "",
			rapport.ChannelWeb, rapport.ChannelEmail, rapport.ChannelCallCentre),
		o("sale-preview", "Early access to the sale", loyal, "sale", 7, "", rapport.ChannelEmail, rapport.ChannelPush),
		o("review-reward", "Review your last purchase: 50 points", loyal, "review", 3, "orders >= 1",
			rapport.ChannelEmail, rapport.ChannelWeb),
	}
	offers[3].Caps, offers[3].Window = rapport.OfferCaps{PerDay: 1}, "2h"
	return offers
}

// OfferTriggers returns the demo's trigger: the deli coupon pushed the
// moment a shopper walks into the deli.
func OfferTriggers() []*rapport.Trigger {
	return []*rapport.Trigger{{ID: "deli-zone", Event: "Beacon Entered", Condition: `properties.zone == "deli"`,
		Channel: rapport.ChannelBeacon, Limit: 1}}
}

// OfferConsents returns the Consent Granted events of the demo's people
// who agree to be contacted (about two in three by email, one in three by
// push, one in five by SMS, one in four by phone), a day before the
// offer history starts, with message ids "demo-<seed>-consent-<n>". They
// carry the person's anonymousId, which every demo person's profile holds.
func OfferConsents(seed int64, now time.Time, people int) []rapport.Event {
	if people <= 0 {
		people = DefaultPeople
	}
	at := now.UTC().Truncate(time.Second).Add(-OfferPeriod - 24*time.Hour)
	var out []rapport.Event
	for i := range people {
		rng := offerRand(seed, i, "consent", 0)
		for _, c := range []struct {
			channel string
			percent int
		}{{"email", 65}, {"push", 35}, {"sms", 20}, {"phone", 25}} {
			if rng.IntN(100) >= c.percent {
				continue
			}
			out = append(out, rapport.Event{Type: rapport.EventTrack, Event: "Consent Granted",
				AnonymousID: fmt.Sprintf("demo-%d-anon-%04d", seed, i), Timestamp: at, ReceivedAt: at, SourceID: "demo",
				MessageID:  fmt.Sprintf("demo-%d-consent-%d", seed, len(out)+1),
				Properties: map[string]any{"channel": c.channel, "text": "Yes, send me offers by " + c.channel, "source": "demo"}})
			at = at.Add(time.Second)
		}
	}
	return out
}

// OfferVisit is a moment a demo person is asked about offers: a page of
// the shop, a newsletter being sent, the app, a beacon in the store, a
// call.
type OfferVisit struct {
	// Person numbers the demo person (0 to people-1), for OfferAudience.
	Person   int
	Identity rapport.Identity
	At       time.Time
	Context  rapport.DecisionContext
}

// OfferVisits returns the moments the demo's people are decided for over
// the OfferPeriod before now, in time order: four to twelve for buyers,
// one to four for others, between 09:00 and 19:00 UTC, outside quiet hours.
func OfferVisits(seed int64, now time.Time, people int) []OfferVisit {
	if people <= 0 {
		people = DefaultPeople
	}
	start := now.UTC().Truncate(24 * time.Hour).Add(-OfferPeriod)
	var out []OfferVisit
	for i := range people {
		p := newPerson(personRand(seed, i), seed, i)
		rng := offerRand(seed, i, "visits", 0)
		n := 1 + rng.IntN(4)
		if p.buyer {
			n = 4 + rng.IntN(9)
		}
		for range n {
			day := start.Add(time.Duration(rng.IntN(int(OfferPeriod/(24*time.Hour)))) * 24 * time.Hour)
			at := day.Add(9*time.Hour + time.Duration(rng.IntN(10*60))*time.Minute)
			if !at.Before(now) {
				continue
			}
			out = append(out, OfferVisit{Person: i, At: at, Context: visitContext(rng, p.identifies),
				Identity: rapport.Identity{Kind: rapport.IdentityAnonymousID, Value: p.anonymousID}})
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].At.Before(out[b].At) })
	return out
}

// visitContext draws where a person is asked: people who never signed up
// only on the web.
func visitContext(rng *mrand.Rand, known bool) rapport.DecisionContext {
	pages := []string{"/", "/sale", "/deli", "/new"}
	web := rapport.DecisionContext{Channel: rapport.ChannelWeb, Page: pages[rng.IntN(len(pages))]}
	if !known {
		return web
	}
	switch r := rng.IntN(100); {
	case r < 45:
		return web
	case r < 70:
		return rapport.DecisionContext{Channel: rapport.ChannelEmail}
	case r < 82:
		return rapport.DecisionContext{Channel: rapport.ChannelPush}
	case r < 94:
		zones := []string{"deli", "bakery", "wine"}
		z := zones[rng.IntN(len(zones))]
		return rapport.DecisionContext{Channel: rapport.ChannelBeacon, Zone: z, Beacon: "b-" + z}
	}
	return rapport.DecisionContext{Channel: rapport.ChannelCallCentre}
}

// OfferAudience is how the demo's people answer offers: each has tastes
// by offer category (from their persona) and a hidden relationship stage
// (acquisition for people who never buy, activation for buyers) that
// moves on when they accept an offer of the stage they are in. An
// offer of that stage lands far more often than one of another, so the
// funnel fills from acquisition to activity. Not safe for concurrent use:
// answers depend on the order they are asked in.
type OfferAudience struct {
	seed   int64
	people map[int]*audienceMember
}

type audienceMember struct {
	stage  int
	tastes map[string]float64
}

// NewOfferAudience returns the audience of the demo Events(seed, …,
// people) makes.
func NewOfferAudience(seed int64, people int) *OfferAudience {
	if people <= 0 {
		people = DefaultPeople
	}
	a := &OfferAudience{seed: seed, people: map[int]*audienceMember{}}
	for i := range people {
		p := newPerson(personRand(seed, i), seed, i)
		label := ""
		if p.persona != nil {
			label = p.persona.label
		}
		// Buyers were acquired before the history starts: they are
		// in activation, which is what their lifecycle stage tells the
		// learner too.
		m := &audienceMember{tastes: personaTastes[label]}
		if p.buyer {
			m.stage = 1
		}
		a.people[i] = m
	}
	return a
}

// personaTastes multiply the chance of an accept by offer category; ""
// is people who never buy.
var personaTastes = map[string]map[string]float64{
	PersonaTrustedBrand: {"content": 1.6, "loyalty": 1.3, "sale": 0.5, "app": 0.6},
	PersonaInfluencer:   {"app": 2, "review": 2.2, "content": 1.3, "loyalty": 0.7},
	PersonaRegular:      {"loyalty": 2, "delivery": 1.6, "deli": 1.4, "welcome": 0.7},
	PersonaBargain:      {"sale": 2.2, "welcome": 1.6, "deli": 1.5, "content": 0.4},
	"":                  {"welcome": 1.3, "content": 1.1, "loyalty": 0.5, "sale": 0.8},
}

// Answer returns what person does with an offer shown on their visit
// number visit: "accepted" (or "converted" with revenue), "dismissed", or
// "" for no answer (Rapport records an ignore when its window passes).
func (a *OfferAudience) Answer(person, visit int, o *rapport.Offer) (string, float64) {
	m := a.people[person]
	if m == nil {
		return "", 0
	}
	rng := offerRand(a.seed, person, o.ID, visit)
	p := acceptChance(m.stage, rapport.StageIndex(o.Stage))
	if t, ok := m.tastes[o.Category]; ok {
		p *= t
	}
	switch r := rng.Float64(); {
	case r < min(p, 0.9):
		if rapport.StageIndex(o.Stage) == m.stage && m.stage < len(rapport.OfferStages)-1 {
			m.stage++
		}
		if rng.IntN(100) < 30 {
			return rapport.OutcomeConverted, float64(20 + rng.IntN(180))
		}
		return rapport.OutcomeAccepted, 0
	case r < 0.7:
		return rapport.OutcomeDismissed, 0
	}
	return "", 0
}

// acceptChance is the chance of an accept before tastes: high for an
// offer of the stage the person is in, low for any other.
func acceptChance(in, stage int) float64 {
	switch {
	case stage == in:
		return 0.3
	case stage < in:
		return 0.06
	}
	return 0.03
}

// offerRand is the random source of one person's draws about what.
func offerRand(seed int64, person int, what string, n int) *mrand.Rand {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s/%d", what, n)
	return mrand.New(mrand.NewPCG(uint64(seed)^0x0ffe5, uint64(person)<<32^h.Sum64()))
}

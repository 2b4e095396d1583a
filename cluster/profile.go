package cluster

import (
	"maps"
	"math"
	"strings"
	"time"

	"github.com/rapportdev/rapport"
)

// The features of a stored customer that only clustering reads; Describe
// reads the Feature constants of persona.go.
const (
	// FeatureShareInStore, FeatureSharePhone and FeatureShareOnline are the
	// shares of the customer's orders placed in a store, by phone and
	// online (web or app), 0 … 1.
	FeatureShareInStore = "share_in_store"
	FeatureSharePhone   = "share_phone"
	FeatureShareOnline  = "share_online"
	// FeatureInfluence is log(1 + followers): an audience of 3,000 is far
	// from one of 30, and one of 300,000 not a hundred times further.
	FeatureInfluence = "influence"
	// CategorySharePrefix starts the name of a category's share of the
	// customer's revenue, as in "category_share:Shoes".
	CategorySharePrefix = "category_share:"
)

// EventSupportTicket is the event counted as a support contact when a
// profile has no service_effort trait.
const EventSupportTicket = "Support Ticket Opened"

// The traits ProfileMember reads.
const (
	traitServiceEffort = "service_effort"
	traitFollowers     = "followers"
	traitAge           = "age"
)

// ProfileMember returns what Describe, and through ProfileSpace the
// clustering, know of a stored customer: false for anyone without an
// order. Features hold recency_days (to now), frequency (orders),
// monetary (revenue net of refunds), average_order_value, service_effort
// (1 … 10), followers (0 when not known), sessions, and age when known;
// the mixes are orders per purchase channel and revenue per category and
// brand. The profile is not kept.
func ProfileMember(p *rapport.Profile, now time.Time) (Member, bool) {
	if p == nil || p.Aggregates.Orders <= 0 {
		return Member{}, false
	}
	a := &p.Aggregates
	f := map[string]float64{
		FeatureRecency:           max(now.Sub(a.LastOrderAt).Hours()/24, 0),
		FeatureFrequency:         float64(a.Orders),
		FeatureMonetary:          a.Revenue,
		FeatureAverageOrderValue: a.Revenue / float64(a.Orders),
		FeatureServiceEffort:     serviceEffort(p),
		FeatureFollowers:         followers(p),
		FeatureSessions:          float64(a.Sessions),
	}
	if a.LastOrderAt.IsZero() {
		// Imported totals without order times: how recent is unknown.
		f[FeatureRecency] = math.NaN()
	}
	if age, ok := rapport.Number(p.Traits[traitAge]); ok && age > 0 && age < 130 {
		f[FeatureAge] = age
	}
	m := Member{Features: f, Channels: make(map[string]float64, len(a.PurchaseChannels)),
		Categories: maps.Clone(a.Categories), Brands: maps.Clone(a.Brands)}
	for ch, n := range a.PurchaseChannels {
		m.Channels[ch] = float64(n)
	}
	return m, true
}

// serviceEffort is the service_effort trait (1 … 10) when the profile has
// one; else 1 plus 3 per support ticket per order, so a ticket on every
// order reads as 4 and three on every order as the maximum, 10.
func serviceEffort(p *rapport.Profile) float64 {
	if v, ok := rapport.Number(p.Traits[traitServiceEffort]); ok {
		return min(max(v, 1), 10)
	}
	tickets := float64(p.Aggregates.Events[EventSupportTicket])
	return min(1+3*tickets/float64(p.Aggregates.Orders), 10)
}

// followers is the followers trait, 0 when absent or not a count.
func followers(p *rapport.Profile) float64 {
	if v, ok := rapport.Number(p.Traits[traitFollowers]); ok && v > 0 {
		return v
	}
	return 0
}

// channelGroup sorts a purchase channel into online, in store or phone;
// others (a marketplace, a catalogue) count toward the total only.
func channelGroup(name string) string {
	switch channelKind(name) {
	case TraitOnline:
		return FeatureShareOnline
	case TraitInStore:
		return FeatureShareInStore
	}
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "phone", "telephone", "call_center", "call-center", "call center", "callcenter":
		return FeatureSharePhone
	}
	return ""
}

package cluster

import "strings"

// Trait is one finding about a cluster that its label and story are built
// from.
type Trait string

// The traits, each from a rule comparing the cluster with everyone.
const (
	TraitYoung       Trait = "young"        // median age ≤ 0.8 × everyone's
	TraitOlder       Trait = "older"        // median age ≥ 1.2 × everyone's
	TraitInfluencer  Trait = "influencer"   // followers ≥ 3 × everyone's and ≥ 1,000
	TraitFrequent    Trait = "frequent"     // orders ≥ 1.5 × everyone's
	TraitInfrequent  Trait = "infrequent"   // orders ≤ everyone's / 1.5
	TraitRecent      Trait = "recent"       // days since last order ≤ everyone's / 1.5
	TraitLapsing     Trait = "lapsing"      // days since last order ≥ 1.5 × everyone's and ≥ 2 usual gaps
	TraitBigSpender  Trait = "big_spender"  // revenue ≥ 1.5 × everyone's
	TraitBigBasket   Trait = "big_basket"   // order value ≥ 1.5 × everyone's
	TraitSmallBasket Trait = "small_basket" // order value ≤ everyone's / 1.5
	TraitHighEffort  Trait = "high_effort"  // service effort ≥ 1.5 × everyone's
	TraitResearcher  Trait = "researcher"   // sessions ≥ 1.5 × everyone's
	TraitOnline      Trait = "online"       // ≥ 60% of orders online
	TraitInStore     Trait = "in_store"     // ≥ 60% of orders in a store
	TraitByPhone     Trait = "by_phone"     // ≥ 60% of orders by phone
	TraitOmnichannel Trait = "omnichannel"  // orders known, none of the above
	TraitBrandLoyal  Trait = "brand_loyal"  // one brand ≥ 50% of brand revenue
)

// featureRule says when a feature's cluster median counts as high or low
// against the population median: high at ≥ hi × it (and ≥ floor), low at
// ≤ lo × it. A population median of zero makes any positive median high.
type featureRule struct {
	feature   string
	hi, lo    float64
	floor     float64
	high, low Trait
}

// featureRules are checked in this order, which is the order of Traits.
var featureRules = []featureRule{
	{feature: FeatureAge, hi: 1.2, lo: 0.8, high: TraitOlder, low: TraitYoung},
	{feature: FeatureFollowers, hi: 3, floor: 1000, high: TraitInfluencer},
	{feature: FeatureFrequency, hi: 1.5, lo: 1 / 1.5, high: TraitFrequent, low: TraitInfrequent},
	{feature: FeatureRecency, hi: 1.5, lo: 1 / 1.5, high: TraitLapsing, low: TraitRecent},
	{feature: FeatureMonetary, hi: 1.5, high: TraitBigSpender},
	{feature: FeatureAverageOrderValue, hi: 1.5, lo: 1 / 1.5, high: TraitBigBasket, low: TraitSmallBasket},
	{feature: FeatureServiceEffort, hi: 1.5, high: TraitHighEffort},
	{feature: FeatureSessions, hi: 1.5, high: TraitResearcher},
}

// traits applies the rules to a persona whose medians and mixes are set.
func traits(p Persona, population map[string]float64, channels []Share, windowDays float64) []Trait {
	out := []Trait{}
	for _, r := range featureRules {
		m, ok := p.Medians[r.feature]
		pop, okPop := population[r.feature]
		if !ok || !okPop {
			continue
		}
		high := r.high != "" && m >= r.floor && (pop > 0 && m >= r.hi*pop || pop <= 0 && m > pop)
		if high && r.high == TraitLapsing && !overdue(p, windowDays) {
			// A twice-a-year buyer last seen four months ago is on
			// schedule, not lapsing, however long ago that is compared
			// with everyone.
			continue
		}
		switch {
		case high:
			out = append(out, r.high)
		case r.low != "" && pop > 0 && m <= r.lo*pop:
			out = append(out, r.low)
		}
	}
	if t, ok := channelTrait(channels); ok {
		out = append(out, t)
	}
	if len(p.TopBrands) > 0 && p.TopBrands[0].Share >= 0.5 {
		out = append(out, TraitBrandLoyal)
	}
	return out
}

// overdue reports whether the cluster's median days since the last order
// exceed two of its usual gaps between orders (window / frequency). Without
// a frequency it cannot tell, and says yes.
func overdue(p Persona, windowDays float64) bool {
	f, ok := p.Medians[FeatureFrequency]
	if !ok || f <= 0 {
		return true
	}
	return p.Medians[FeatureRecency] >= 2*windowDays/f
}

// channelTrait sorts the channel mix into online and in-store orders.
// Channels that are neither (phone, marketplace) count toward the total
// only.
func channelTrait(channels []Share) (Trait, bool) {
	if len(channels) == 0 {
		return "", false
	}
	var online, store, phone float64
	for _, s := range channels {
		switch channelKind(s.Name) {
		case TraitOnline:
			online += s.Share
		case TraitInStore:
			store += s.Share
		case TraitByPhone:
			phone += s.Share
		}
	}
	switch {
	case online >= 0.6:
		return TraitOnline, true
	case store >= 0.6:
		return TraitInStore, true
	case phone >= 0.6:
		return TraitByPhone, true
	}
	return TraitOmnichannel, true
}

// channelKind recognises the usual names of online, in-store and phone
// channels.
func channelKind(name string) Trait {
	switch strings.ToLower(strings.NewReplacer("-", "_", " ", "_").Replace(strings.TrimSpace(name))) {
	case "online", "web", "website", "ecommerce", "e_commerce", "app", "mobile", "mobile_app", "webshop":
		return TraitOnline
	case "in_store", "instore", "store", "offline", "retail", "pos", "shop", "branch":
		return TraitInStore
	case "phone", "telephone", "call_centre", "call_center", "callcenter":
		return TraitByPhone
	}
	return ""
}

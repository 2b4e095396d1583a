package cluster

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// label names a cluster as "[adjective] [channel] noun": the first
// adjective and the first noun whose trait holds, in the order below.
func label(ts []Trait) string {
	is := func(t Trait) bool { return slices.Contains(ts, t) }
	var adj string
	switch {
	case is(TraitYoung):
		adj = "young"
	case is(TraitLapsing):
		adj = "lapsing"
	case is(TraitFrequent):
		adj = "loyal"
	case is(TraitBigSpender):
		adj = "big-spending"
	case is(TraitOlder):
		adj = "mature"
	}
	var noun string
	switch {
	case is(TraitInfluencer):
		noun = "influencers"
	case is(TraitFrequent):
		noun = "regulars"
	case is(TraitBigBasket) && is(TraitInfrequent):
		noun = "special-occasion buyers"
	case is(TraitBigSpender) && adj != "big-spending":
		noun = "big spenders"
	case is(TraitSmallBasket):
		noun = "bargain hunters"
	case is(TraitInfrequent):
		noun = "occasional shoppers"
	case is(TraitHighEffort):
		noun = "high-touch customers"
	default:
		noun = "customers"
	}
	words := []string{adj, channelWord(ts), noun}
	return capitalise(strings.Join(slices.DeleteFunc(words, func(w string) bool { return w == "" }), " "))
}

// channelWord is the label's word for the channel trait, if any.
func channelWord(ts []Trait) string {
	switch {
	case slices.Contains(ts, TraitOnline):
		return "online"
	case slices.Contains(ts, TraitInStore):
		return "in-store"
	case slices.Contains(ts, TraitByPhone):
		return "phone"
	case slices.Contains(ts, TraitOmnichannel):
		return "omnichannel"
	}
	return ""
}

// story tells the persona in one sentence of clauses: age, where and how
// often they shop, brands, basket, audience, lapse, help, category.
func story(p Persona, windowDays float64) string {
	is := func(t Trait) bool { return slices.Contains(p.Traits, t) }
	var clauses []string
	add := func(s string) {
		if s != "" {
			clauses = append(clauses, s)
		}
	}
	age, hasAge := p.Medians[FeatureAge]
	if hasAge {
		add(strconv.Itoa(int(math.Round(age))))
	}
	add(shoppingClause(p, windowDays))
	if is(TraitBrandLoyal) && is(TraitBigBasket) {
		add("pays more for a trusted brand")
	} else if is(TraitBrandLoyal) {
		add("sticks to " + p.TopBrands[0].Name)
	}
	if aov, ok := p.Medians[FeatureAverageOrderValue]; ok && is(TraitBigBasket) {
		if is(TraitInfrequent) {
			add("a special-occasion buyer who spends " + amount(aov) + " per visit")
		} else {
			add("spends " + amount(aov) + " per visit")
		}
	}
	if is(TraitBigSpender) && !is(TraitBigBasket) {
		add("one of the biggest spenders")
	}
	if is(TraitInfluencer) {
		add(roughCount(p.Medians[FeatureFollowers]) + " followers, vocal about what they buy")
	}
	if is(TraitLapsing) {
		add(fmt.Sprintf("last bought %d days ago", int(math.Round(p.Medians[FeatureRecency]))))
	}
	if is(TraitHighEffort) {
		add("needs more help than most")
	}
	if len(p.TopCategories) > 0 && p.TopCategories[0].Share >= 0.4 {
		add("mostly buys " + p.TopCategories[0].Name)
	}
	if len(clauses) == 0 || hasAge && len(clauses) == 1 {
		add("close to the typical customer")
	}
	return capitalise(strings.Join(clauses, ", ")) + "."
}

// shoppingClause says where and how often the cluster shops: "researches
// online and buys offline", "shops online monthly in small amounts".
func shoppingClause(p Persona, windowDays float64) string {
	is := func(t Trait) bool { return slices.Contains(p.Traits, t) }
	if is(TraitResearcher) && is(TraitInStore) {
		return "researches online and buys offline"
	}
	words := []string{"shops"}
	switch {
	case is(TraitOnline):
		words = append(words, "online")
	case is(TraitInStore):
		words = append(words, "in store")
	case is(TraitByPhone):
		words = append(words, "by phone")
	case is(TraitOmnichannel):
		words = append(words, "online and in store")
	}
	if f, ok := p.Medians[FeatureFrequency]; ok {
		words = append(words, cadence(f*365/windowDays))
	}
	if is(TraitSmallBasket) {
		words = append(words, "in small amounts")
	}
	if len(words) == 1 {
		return ""
	}
	return strings.Join(words, " ")
}

// cadence turns orders per year into words.
func cadence(perYear float64) string {
	switch {
	case perYear >= 40:
		return "weekly"
	case perYear >= 9:
		return "monthly"
	case perYear >= 3:
		return "a few times a year"
	case perYear > 0:
		return "once or twice a year"
	}
	return "rarely"
}

// amount says a money amount the way a person would ("about 45", "a few
// hundred"); the currency is the data's.
func amount(v float64) string {
	switch {
	case v < 10:
		return "under 10"
	case v < 100:
		return "about " + strconv.Itoa(int(math.Round(v/5)*5))
	case v < 200:
		return "over a hundred"
	case v < 1000:
		return "a few hundred"
	case v < 2000:
		return "over a thousand"
	}
	return "a few thousand"
}

// roughCount rounds n to two significant digits with thousands separators:
// 3042 → "3,000", 12345 → "12,000".
func roughCount(n float64) string {
	v := int64(math.Round(n))
	if v >= 100 {
		p := int64(math.Pow(10, math.Floor(math.Log10(float64(v)))-1))
		v = (v + p/2) / p * p
	}
	s := strconv.FormatInt(v, 10)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// capitalise upper-cases the first letter of s (ASCII: labels are ours).
func capitalise(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

package demo

// The labels of the personas the demo's buyers follow. Each buyer follows
// exactly one, so a clustering of the demo's customers can be checked
// against them.
const (
	// PersonaTrustedBrand researches online, often, and buys in a store a
	// few times a year: a few hundred per visit, almost always Northpeak.
	PersonaTrustedBrand = "trusted-brand offline buyer"
	// PersonaInfluencer is about 19, orders small things online about
	// monthly, and reviews and shares them with a few thousand followers.
	PersonaInfluencer = "young online influencer"
	// PersonaRegular orders every week or two on the web, by phone and in
	// the store: mid-size baskets of every category.
	PersonaRegular = "loyal regular"
	// PersonaBargain orders small sale items by phone and needs a lot of
	// help: support tickets, and a high service_effort in the CRM.
	PersonaBargain = "service-heavy bargain hunter"
)

// persona is how one kind of buyer behaves: who they are and their habits
// once signed up.
type persona struct {
	label string
	// weight is the persona's share of the buyers, in parts of the sum.
	weight int
	// ageLo and ageHi bound the age trait.
	ageLo, ageHi int
	// app is the percentage who use the mobile app instead of the website.
	app int
	// habits plays the buyer's life after their sign-up visit, until now.
	habits func(j *journey)
}

// personas are the kinds of buyer, in the order they are drawn.
var personas = []persona{
	{label: PersonaTrustedBrand, weight: 24, ageLo: 33, ageHi: 41, app: 10, habits: (*journey).trustedBrandHabits},
	{label: PersonaInfluencer, weight: 20, ageLo: 17, ageHi: 22, app: 60, habits: (*journey).influencerHabits},
	{label: PersonaRegular, weight: 34, ageLo: 39, ageHi: 54, app: 20, habits: (*journey).regularHabits},
	{label: PersonaBargain, weight: 22, ageLo: 58, ageHi: 74, app: 0, habits: (*journey).bargainHabits},
}

// Personas returns, for the demo Events(seed, now, people) makes, the
// persona each buyer follows by their userId. People who never buy are
// absent. The assignment does not depend on now.
func Personas(seed int64, people int) map[string]string {
	if people <= 0 {
		people = DefaultPeople
	}
	out := map[string]string{}
	for i := range people {
		if p := newPerson(personRand(seed, i), seed, i); p.persona != nil {
			out[p.userID] = p.persona.label
		}
	}
	return out
}

// drawPersona picks a persona by weight.
func drawPersona(n int) *persona {
	total := 0
	for _, p := range personas {
		total += p.weight
	}
	n %= total
	for i := range personas {
		if n < personas[i].weight {
			return &personas[i]
		}
		n -= personas[i].weight
	}
	return &personas[len(personas)-1]
}

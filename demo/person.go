package demo

import (
	"fmt"
	"math"
	mrand "math/rand/v2"
	"strings"
)

// person is one member of the demo population and how they behave.
type person struct {
	index       int
	anonymousID string
	userID      string
	first, last string
	email       string
	phone       string
	traits      map[string]any
	// company is the B2B account the person buys for, or nil.
	company *company
	// identifies: the person signs up at some point; buyer: they order.
	identifies, buyer bool
	// secondDevice: they also browse on another device and log in there
	// with their email written in another case, so identity resolution
	// has to merge the two.
	secondDevice bool
	// legacyID: they were known under an old system's id, merged by alias.
	legacyID string
	// persona is how a buyer shops; nil for people who never buy.
	persona *persona
}

// personRand is person i's own random source: each person is drawn from
// it alone, so Personas can draw people without playing their journeys,
// and one person's habits never shift another's.
func personRand(seed int64, i int) *mrand.Rand {
	return mrand.New(mrand.NewPCG(uint64(seed), 0xdec0de<<32|uint64(i)))
}

// newPerson draws person i.
func newPerson(rng *mrand.Rand, seed int64, i int) *person {
	p := &person{
		index:       i,
		anonymousID: fmt.Sprintf("demo-%d-anon-%04d", seed, i),
		userID:      fmt.Sprintf("demo-%d-cust-%04d", seed, i),
		first:       pick(rng, firstNames),
		last:        pick(rng, lastNames),
		identifies:  rng.IntN(100) < 60,
	}
	p.email = strings.ToLower(fmt.Sprintf("%s.%s%d@%s", p.first, p.last, i, pick(rng, mailDomains)))
	p.phone = phoneNumber(rng, i)
	p.buyer = p.identifies && rng.IntN(100) < 65
	if p.buyer {
		p.persona = drawPersona(rng.IntN(100))
	}
	// The first few identified people always have a second device, so the
	// demo shows a merge whatever the seed.
	p.secondDevice = p.identifies && (i < 6 || rng.IntN(100) < 8)
	if p.identifies && rng.IntN(100) < 5 {
		p.legacyID = fmt.Sprintf("legacy-%d-%04d", seed, i)
	}
	if p.identifies && rng.IntN(100) < 15 {
		p.company = &companies[rng.IntN(len(companies))]
	}
	p.traits = p.drawTraits(rng)
	return p
}

// drawTraits returns what the person tells the shop when signing up.
func (p *person) drawTraits(rng *mrand.Rand) map[string]any {
	t := map[string]any{
		"firstName":      p.first,
		"lastName":       p.last,
		"name":           p.first + " " + p.last,
		"email":          p.email,
		"phone":          p.phone,
		"age":            float64(p.age(rng)),
		"gender":         pick(rng, genders),
		"city":           pick(rng, cities),
		"plan":           pick(rng, plans),
		"marital_status": pick(rng, maritalStatuses),
		"income_band":    pick(rng, incomeBands),
		"newsletter":     rng.IntN(2) == 0,
	}
	if p.company != nil {
		t["company"] = p.company.name
		t["title"] = pick(rng, jobTitles)
	}
	if p.persona != nil && p.persona.label == PersonaInfluencer {
		// A few thousand, spread as audiences are: log-normal around 3,000.
		t["followers"] = max(1000, math.Round(3000*math.Exp(0.4*rng.NormFloat64())))
	} else if rng.IntN(100) < 15 {
		t["followers"] = float64(20 + rng.IntN(400))
	}
	return t
}

// age is the person's age: in their persona's range for buyers, anywhere
// from 18 to 77 for the others.
func (p *person) age(rng *mrand.Rand) int {
	if p.persona == nil {
		return 18 + rng.IntN(60)
	}
	return p.persona.ageLo + rng.IntN(p.persona.ageHi-p.persona.ageLo+1)
}

// phoneNumber writes a US number in one of the formats people type.
func phoneNumber(rng *mrand.Rand, i int) string {
	area := pick(rng, areaCodes)
	line := 1000 + (i*7919)%9000
	switch rng.IntN(4) {
	case 0:
		return fmt.Sprintf("+1 %s 555 %04d", area, line)
	case 1:
		return fmt.Sprintf("(%s) 555-%04d", area, line)
	case 2:
		return fmt.Sprintf("%s.555.%04d", area, line)
	default:
		return fmt.Sprintf("1%s555%04d", area, line)
	}
}

// shoutyEmail writes an email the way a second device's autofill might:
// the same address in another case.
func shoutyEmail(email string) string {
	local, domain, _ := strings.Cut(email, "@")
	return strings.ToUpper(local[:1]) + local[1:] + "@" + strings.ToUpper(domain)
}

func pick[T any](rng *mrand.Rand, s []T) T { return s[rng.IntN(len(s))] }

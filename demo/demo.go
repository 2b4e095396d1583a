// Package demo makes the data set behind `rapport serve --demo`: a small
// shop's last few months of tracking events, realistic enough that every
// part of Rapport has something to show (identity merges, orders by
// channel, categories and brands, B2B accounts, engagement that decays).
//
// Its buyers follow four planted personas (see Personas) that differ the
// way a shop owner would tell them apart: a brand-loyal customer who
// researches online and buys in the store, a young influencer who orders
// small things online and shares them, a loyal regular on every channel,
// and a bargain hunter who orders by phone and needs a lot of help.
// `rapport cluster` should find them again.
//
// The data is a pure function of its arguments: the same seed, time and
// size give the same events with the same message ids, so loading the demo
// twice adds nothing.
package demo

import (
	"fmt"
	mrand "math/rand/v2"
	"sort"
	"time"

	"github.com/rapportdev/rapport"
)

// DefaultPeople is the demo's size when the caller has no preference.
const DefaultPeople = 300

// Period is how far back the demo's history goes.
const Period = 120 * 24 * time.Hour

// Numbers in traits and properties are float64, as they are once an event
// has been through JSON, so the demo looks the same whether it is read
// from the log or straight from this function.

// Events returns the demo events of people people (DefaultPeople when not
// positive) over the Period before now, ordered by time, with message ids
// "demo-<seed>-<n>".
func Events(seed int64, now time.Time, people int) []rapport.Event {
	if people <= 0 {
		people = DefaultPeople
	}
	now = now.UTC().Truncate(time.Second)
	var events []rapport.Event
	for i := range people {
		rng := personRand(seed, i)
		p := newPerson(rng, seed, i)
		j := &journey{rng: rng, p: p, now: now, at: now.Add(-Period + firstVisit(rng, p))}
		events = append(events, j.run()...)
	}
	// Sort by time for a natural log; a person's events keep their order,
	// since the sort is stable and each journey's times only increase.
	sort.SliceStable(events, func(a, b int) bool { return events[a].Timestamp.Before(events[b].Timestamp) })
	for n := range events {
		events[n].MessageID = fmt.Sprintf("demo-%d-%d", seed, n+1)
		events[n].SourceID = "demo"
		events[n].ReceivedAt = events[n].Timestamp
	}
	return events
}

// firstVisit is how long after the start of the Period the person first
// visits: buyers early, so that how often they order shows their persona
// rather than when they happened to arrive; others at any time.
func firstVisit(rng *mrand.Rand, p *person) time.Duration {
	if p.persona != nil {
		return randDuration(rng, Period/12)
	}
	return randDuration(rng, Period*9/10)
}

// randDuration returns a uniform duration in [0, d).
func randDuration(rng *mrand.Rand, d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return time.Duration(rng.Int64N(int64(d)))
}

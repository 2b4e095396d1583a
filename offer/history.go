package offer

import (
	"slices"
	"time"

	"github.com/rapportdev/rapport"
)

// Summary is what a person's recent outcomes say about what may be shown
// to them now: how many offers each channel showed them today, how often
// each offer was shown today and this week, and which offers they have
// had enough of.
type Summary struct {
	// ChannelToday counts shown outcomes per channel on the person's
	// local day.
	ChannelToday map[string]int
	// OfferToday and OfferWeek count shown outcomes per offer on the local
	// day and in the last seven days.
	OfferToday, OfferWeek map[string]int
	// Suppressed holds, per offer, when its suppression for the person
	// ends (only those that have not ended).
	Suppressed map[string]time.Time
}

// failure is an ignore or dismissal at a time, or with reset a sign of
// interest that starts the count again.
type failure struct {
	at    time.Time
	reset bool
}

// Summarize reads a person's outcomes (any order) as of now in their
// location loc. A shown outcome whose Due has passed without an answer is
// an ignore even before the store records it.
func Summarize(history []rapport.Outcome, now time.Time, loc *time.Location, s Suppression) Summary {
	var sum Summary
	if len(history) == 0 {
		return sum // nil maps read as zero: nothing shown, nothing suppressed
	}
	sum = Summary{ChannelToday: map[string]int{}, OfferToday: map[string]int{}, OfferWeek: map[string]int{},
		Suppressed: map[string]time.Time{}}
	y, m, d := now.In(loc).Date()
	weekAgo := now.Add(-7 * 24 * time.Hour)
	type key struct{ decision, offer string }
	answered := map[key]bool{}
	for _, o := range history {
		if o.Answers() {
			answered[key{o.DecisionID, o.OfferID}] = true
		}
	}
	events := map[string][]failure{}
	for _, o := range history {
		switch o.Type {
		case rapport.OutcomeShown:
			if oy, om, od := o.At.In(loc).Date(); oy == y && om == m && od == d {
				sum.ChannelToday[o.Channel]++
				sum.OfferToday[o.OfferID]++
			}
			if !o.At.Before(weekAgo) {
				sum.OfferWeek[o.OfferID]++
			}
			if !answered[key{o.DecisionID, o.OfferID}] && !o.Due.IsZero() && !o.Due.After(now) {
				events[o.OfferID] = append(events[o.OfferID], failure{at: o.Due})
			}
		case rapport.OutcomeDismissed, rapport.OutcomeIgnored:
			events[o.OfferID] = append(events[o.OfferID], failure{at: o.At})
		case rapport.OutcomeAccepted, rapport.OutcomeConverted, rapport.OutcomeClicked:
			events[o.OfferID] = append(events[o.OfferID], failure{at: o.At, reset: true})
		}
	}
	if s.After > 0 {
		for offerID, evs := range events {
			if until := suppressedUntil(evs, s); until.After(now) {
				sum.Suppressed[offerID] = until
			}
		}
	}
	return sum
}

// suppressedUntil replays an offer's answers in time order: After
// failures since the last sign of interest (a click, an accept, a
// conversion) suppress it for Cooldown from the last
// of them; failures during a suppression do not count towards the next.
func suppressedUntil(evs []failure, s Suppression) time.Time {
	slices.SortStableFunc(evs, func(a, b failure) int { return a.at.Compare(b.at) })
	var until time.Time
	n := 0
	for _, e := range evs {
		switch {
		case e.reset:
			n = 0
		case e.at.Before(until):
		default:
			n++
			if n >= s.After {
				until, n = e.at.Add(s.Cooldown), 0
			}
		}
	}
	return until
}

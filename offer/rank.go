package offer

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/rapportdev/rapport"
)

// rank orders the candidates and returns the first limit as ranked
// offers. The treatment group is ranked by expected value, P(accept) drawn
// from each posterior (Thompson sampling) times the offer's value, except
// that with probability Explore the first offer is drawn uniformly. The
// control group gets the candidates in random order.
func (e *Engine) rank(d *rapport.Decision, cands []candidate, limit int, r *rand.Rand) []rapport.RankedOffer {
	explore := false
	if d.Control {
		r.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
	} else {
		for i := range cands {
			c := &cands[i]
			c.p = sampleBeta(r, c.post.Alpha, c.post.Beta)
			c.ev = c.p * c.o.def.Value
		}
		// Ids are unique, so the order is total and needs no stable sort.
		slices.SortFunc(cands, func(a, b candidate) int {
			if c := cmp.Compare(b.ev, a.ev); c != 0 {
				return c
			}
			return strings.Compare(a.o.def.ID, b.o.def.ID)
		})
		if len(cands) > 1 && r.Float64() < e.policy.Explore {
			i := r.IntN(len(cands))
			pick := cands[i]
			copy(cands[1:i+1], cands[:i])
			cands[0], explore = pick, true
		}
	}
	out := make([]rapport.RankedOffer, 0, min(limit, len(cands)))
	for i, c := range cands[:min(limit, len(cands))] {
		def := c.o.def
		ro := rapport.RankedOffer{OfferID: def.ID, Title: def.Title, Payload: def.Payload, Rank: i + 1,
			PAccept: c.p, Mean: c.post.Mean(), Value: def.Value, Explore: explore && i == 0}
		if d.Control {
			ro.PAccept = ro.Mean
		}
		ro.ExpectedValue = ro.PAccept * def.Value
		ro.Reason = e.reason(d, c, ro, len(cands))
		out = append(out, ro)
	}
	return out
}

// reason explains one ranked offer in a sentence.
func (e *Engine) reason(d *rapport.Decision, c candidate, ro rapport.RankedOffer, eligible int) string {
	var b strings.Builder
	if c.o.rule != nil {
		fmt.Fprintf(&b, "eligible (%s); ", oneLine(c.o.rule.Source()))
	} else {
		b.WriteString("eligible (everyone); ")
	}
	switch {
	case d.Control:
		fmt.Fprintf(&b, "control group: random order among %d eligible offers, no personalisation", eligible)
	case ro.Explore:
		fmt.Fprintf(&b, "exploration: drawn at random among %d eligible offers (%.0f%% of decisions)", eligible, 100*e.policy.Explore)
	default:
		fmt.Fprintf(&b, "P(accept) %.3f drawn from Beta(%.1f, %.1f) for %s (mean %.3f, %d answers) × value %g = %.3f",
			ro.PAccept, c.post.Alpha, c.post.Beta, d.Arm, ro.Mean, c.post.Answers, ro.Value, ro.ExpectedValue)
	}
	return b.String()
}

// oneLine shortens an expression for a reason: whitespace runs become one
// space, and more than 120 characters are cut.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 120 {
		return string(r[:117]) + "..."
	}
	return s
}

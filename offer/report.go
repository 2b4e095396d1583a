package offer

import (
	"cmp"
	"slices"
	"strings"

	"github.com/rapportdev/rapport"
)

// GroupStats are the outcomes of one group (the control group, or
// everyone else) with the accept rate's 95% interval.
type GroupStats struct {
	Shown      int64    `json:"shown"`
	Clicked    int64    `json:"clicked"`
	Accepted   int64    `json:"accepted"`
	Dismissed  int64    `json:"dismissed"`
	Ignored    int64    `json:"ignored"`
	Converted  int64    `json:"converted"`
	Revenue    float64  `json:"revenue"`
	AcceptRate float64  `json:"acceptRate"`
	AcceptCI   Interval `json:"acceptRateCI"`
}

// Lift is the treatment's accept rate minus the control group's, with
// the 95% interval of the difference, and the ratio of the two rates.
type Lift struct {
	Absolute float64  `json:"absolute"`
	CI       Interval `json:"ci"`
	// Relative is treatment rate / control rate − 1; 0 when the control
	// group accepted nothing.
	Relative float64 `json:"relative"`
}

// ArmReport is one offer in one arm (or "*" for every arm).
type ArmReport struct {
	OfferID   string     `json:"offerId"`
	Arm       string     `json:"arm"`
	Stage     string     `json:"stage,omitempty"`
	Treatment GroupStats `json:"treatment"`
	Control   GroupStats `json:"control"`
	Lift      Lift       `json:"lift"`
	Retired   bool       `json:"retired,omitempty"`
}

// StageReport counts the offers of one relationship stage.
type StageReport struct {
	Stage     string     `json:"stage"`
	Treatment GroupStats `json:"treatment"`
	Control   GroupStats `json:"control"`
}

// Report answers "which offers land with whom": per offer and arm the
// outcomes of both groups, the accept rate with its interval and the lift
// over the control group; the same per offer over every arm, per stage,
// and overall.
type Report struct {
	Overall ArmReport     `json:"overall"`
	Offers  []ArmReport   `json:"offers"`
	Stages  []StageReport `json:"stages"`
}

// NewReport builds a report from counts (Learner.Stats or the store's),
// the catalog's offers for their stages (absent offers have none) and the
// arms each offer is retired in.
func NewReport(stats []rapport.OfferStats, offers map[string]*rapport.Offer, retired map[string][]string) Report {
	type key struct{ offer, arm string }
	tallies := map[key]*[2]tally{}
	get := func(k key) *[2]tally {
		if tallies[k] == nil {
			tallies[k] = &[2]tally{}
		}
		return tallies[k]
	}
	stages := map[string]*[2]tally{}
	overall := &[2]tally{}
	for _, s := range stats {
		t := tallyOf(s)
		g := 0
		if s.Control {
			g = 1
		}
		get(key{s.OfferID, s.Arm})[g].add(&t)
		get(key{s.OfferID, "*"})[g].add(&t)
		overall[g].add(&t)
		if o := offers[s.OfferID]; o != nil {
			if stages[o.Stage] == nil {
				stages[o.Stage] = &[2]tally{}
			}
			stages[o.Stage][g].add(&t)
		}
	}
	rep := Report{Overall: armReport("*", "*", overall)}
	for k, t := range tallies {
		ar := armReport(k.offer, k.arm, t)
		if o := offers[k.offer]; o != nil {
			ar.Stage = o.Stage
		}
		ar.Retired = slices.Contains(retired[k.offer], k.arm)
		rep.Offers = append(rep.Offers, ar)
	}
	slices.SortFunc(rep.Offers, func(a, b ArmReport) int {
		return cmp.Or(strings.Compare(a.OfferID, b.OfferID), strings.Compare(a.Arm, b.Arm))
	})
	for _, st := range rapport.OfferStages {
		if t := stages[st]; t != nil {
			rep.Stages = append(rep.Stages, StageReport{Stage: st, Treatment: groupStats(&t[0]), Control: groupStats(&t[1])})
		}
	}
	return rep
}

func tallyOf(s rapport.OfferStats) tally {
	var t tally
	for typ, n := range s.Counts {
		if i := typeIndex(typ); i >= 0 {
			t.n[i] = n
		}
	}
	t.revenue = s.Revenue
	return t
}

func armReport(offerID, armID string, t *[2]tally) ArmReport {
	ar := ArmReport{OfferID: offerID, Arm: armID, Treatment: groupStats(&t[0]), Control: groupStats(&t[1])}
	tr, co := ar.Treatment, ar.Control
	ar.Lift = Lift{Absolute: tr.AcceptRate - co.AcceptRate, CI: newcombe(min(tr.Accepted, tr.Shown), tr.Shown, min(co.Accepted, co.Shown), co.Shown)}
	if co.AcceptRate > 0 {
		ar.Lift.Relative = tr.AcceptRate/co.AcceptRate - 1
	}
	if tr.Shown == 0 || co.Shown == 0 {
		ar.Lift = Lift{CI: Interval{-1, 1}}
	}
	return ar
}

// groupStats computes rates from a tally: the accept rate is accepts per
// offer shown.
func groupStats(t *tally) GroupStats {
	g := GroupStats{Shown: t.count(rapport.OutcomeShown), Clicked: t.count(rapport.OutcomeClicked),
		Accepted: t.count(rapport.OutcomeAccepted), Dismissed: t.count(rapport.OutcomeDismissed),
		Ignored: t.count(rapport.OutcomeIgnored), Converted: t.count(rapport.OutcomeConverted), Revenue: t.revenue}
	if g.Shown > 0 {
		g.AcceptRate = float64(min(g.Accepted, g.Shown)) / float64(g.Shown)
	}
	g.AcceptCI = wilson(min(g.Accepted, g.Shown), g.Shown)
	return g
}

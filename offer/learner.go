package offer

import (
	"slices"
	"strings"
	"sync"

	"github.com/rapportdev/rapport"
)

// ArmAll is the arm of people in no listed segment and without a stage.
const ArmAll = "all"

// tally counts the outcomes of one offer in one arm for one group
// (control or not), by type in the order of rapport.OutcomeTypes.
type tally struct {
	n       [6]int64
	revenue float64
}

func typeIndex(typ string) int { return slices.Index(rapport.OutcomeTypes, typ) }

func (t *tally) count(typ string) int64 {
	if i := typeIndex(typ); i >= 0 {
		return t.n[i]
	}
	return 0
}

func (t *tally) add(o *tally) {
	for i := range t.n {
		t.n[i] += o.n[i]
	}
	t.revenue += o.revenue
}

// successes and failures are what a posterior learns from: accepts, and
// dismissals or ignores. Clicks and shows not answered yet teach nothing.
func (t *tally) successes() int64 { return t.count(rapport.OutcomeAccepted) }
func (t *tally) failures() int64 {
	return t.count(rapport.OutcomeDismissed) + t.count(rapport.OutcomeIgnored)
}

// armKey names an offer in an arm.
type armKey struct{ offer, arm string }

// arm is what the learner keeps per offer and arm: both groups' tallies
// and whether the offer is retired there.
type arm struct {
	treatment, control tally
	retired            bool
}

func (a *arm) both() tally {
	t := a.treatment
	t.add(&a.control)
	return t
}

// Learner keeps the outcome counts behind every posterior: per offer and
// arm, for the control group and the rest. Both groups teach the
// posterior (the control group's answers are unbiased data); reports keep
// them apart. Safe for concurrent use.
type Learner struct {
	retirement  Retirement
	priorWeight float64

	mu     sync.RWMutex
	arms   map[armKey]*arm
	offers map[string]*tally
}

// NewLearner returns a learner with no data.
func NewLearner(p Policy) *Learner {
	return &Learner{retirement: p.Retirement, priorWeight: p.PriorWeight,
		arms: map[armKey]*arm{}, offers: map[string]*tally{}}
}

// Load adds stored counts (rapport.OfferStore.FindOfferStats).
func (l *Learner) Load(stats []rapport.OfferStats) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.loadLocked(stats)
}

// Reset replaces every count with stored ones.
func (l *Learner) Reset(stats []rapport.OfferStats) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.arms, l.offers = map[armKey]*arm{}, map[string]*tally{}
	l.loadLocked(stats)
}

func (l *Learner) loadLocked(stats []rapport.OfferStats) {
	for _, s := range stats {
		var t tally
		for typ, n := range s.Counts {
			if i := typeIndex(typ); i >= 0 {
				t.n[i] = n
			}
		}
		t.revenue = s.Revenue
		l.addLocked(s.OfferID, s.Arm, s.Control, &t)
	}
}

// Observe counts one new outcome.
func (l *Learner) Observe(o rapport.Outcome) {
	i := typeIndex(o.Type)
	if i < 0 {
		return
	}
	var t tally
	t.n[i], t.revenue = 1, o.Revenue
	l.mu.Lock()
	defer l.mu.Unlock()
	l.addLocked(o.OfferID, o.Arm, o.Control, &t)
}

func (l *Learner) addLocked(offerID, armID string, control bool, t *tally) {
	k := armKey{offer: offerID, arm: armID}
	a := l.arms[k]
	if a == nil {
		a = &arm{}
		l.arms[k] = a
	}
	if control {
		a.control.add(t)
	} else {
		a.treatment.add(t)
	}
	total := l.offers[offerID]
	if total == nil {
		total = &tally{}
		l.offers[offerID] = total
	}
	total.add(t)
	a.retired = l.retire(a)
}

// retire applies the retirement rule to an arm's own answers, with a
// uniform prior: no borrowing, so one group's failure is its own.
func (l *Learner) retire(a *arm) bool {
	r := l.retirement
	if r.Floor <= 0 {
		return false
	}
	t := a.both()
	s, f := t.successes(), t.failures()
	if s+f < max(r.MinAnswers, 1) {
		return false
	}
	return probBelow(float64(1+s), float64(1+f), r.Floor) >= r.Confidence
}

// Posterior is the Beta distribution of an offer's accept rate in an arm.
type Posterior struct {
	Alpha, Beta float64
	// Answers is how many answers of the arm itself it holds.
	Answers int64
	Retired bool
}

// Mean returns the posterior mean.
func (p Posterior) Mean() float64 { return p.Alpha / (p.Alpha + p.Beta) }

// posterior returns the Beta posterior of offerID in armID: the arm's own
// accepts and failures on a prior centred on the offer's rate over every
// arm, worth at most PriorWeight answers. Callers hold l.mu.
func (l *Learner) posterior(offerID, armID string) Posterior {
	a0, b0 := 1.0, 1.0
	if all := l.offers[offerID]; all != nil {
		s, f := float64(all.successes()), float64(all.failures())
		if w := min(l.priorWeight, s+f); w > 0 {
			m := (1 + s) / (2 + s + f)
			a0, b0 = 1+w*m, 1+w*(1-m)
		}
	}
	p := Posterior{Alpha: a0, Beta: b0}
	if a := l.arms[armKey{offer: offerID, arm: armID}]; a != nil {
		t := a.both()
		s, f := t.successes(), t.failures()
		p.Alpha += float64(s)
		p.Beta += float64(f)
		p.Answers, p.Retired = s+f, a.retired
	}
	return p
}

// Posterior returns the posterior of an offer in an arm.
func (l *Learner) Posterior(offerID, armID string) Posterior {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.posterior(offerID, armID)
}

// Stats returns every count the learner holds, ordered by offer, arm and
// control group, as the store reports them.
func (l *Learner) Stats() []rapport.OfferStats {
	l.mu.RLock()
	defer l.mu.RUnlock()
	var out []rapport.OfferStats
	for k, a := range l.arms {
		for _, g := range []struct {
			t       *tally
			control bool
		}{{&a.treatment, false}, {&a.control, true}} {
			if *g.t == (tally{}) {
				continue
			}
			s := rapport.OfferStats{OfferID: k.offer, Arm: k.arm, Control: g.control, Counts: map[string]int64{}, Revenue: g.t.revenue}
			for i, typ := range rapport.OutcomeTypes {
				if g.t.n[i] > 0 {
					s.Counts[typ] = g.t.n[i]
				}
			}
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b rapport.OfferStats) int {
		if c := strings.Compare(a.OfferID, b.OfferID); c != 0 {
			return c
		}
		if c := strings.Compare(a.Arm, b.Arm); c != 0 {
			return c
		}
		if a.Control == b.Control {
			return 0
		} else if a.Control {
			return 1
		}
		return -1
	})
	return out
}

// Retired returns, per offer, the arms it is retired in.
func (l *Learner) Retired() map[string][]string {
	l.mu.RLock()
	defer l.mu.RUnlock()
	out := map[string][]string{}
	for k, a := range l.arms {
		if a.retired {
			out[k.offer] = append(out[k.offer], k.arm)
		}
	}
	for _, arms := range out {
		slices.Sort(arms)
	}
	return out
}

package offer

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/rapportdev/rapport"
)

// The simulated shop: four segments of customers, eight offers of one
// category each, and the true probability that a customer of a segment
// accepts an offer. Each segment has one best offer, which the learner has
// to find; loyalty-points is the best single offer over everyone, the
// "newsletter" a shop without personalisation would send to all.
var (
	simSegments = []string{"bargain", "family", "gourmet", "young"}
	simOffers   = []string{"bakery", "deli-coupon", "discount-10", "energy-drinks", "free-delivery", "kids-bundle",
		"loyalty-points", "wine-tasting"}
	simRates = map[string]map[string]float64{
		"bargain": {"discount-10": 0.30, "free-delivery": 0.15, "loyalty-points": 0.10},
		"family":  {"kids-bundle": 0.28, "free-delivery": 0.12, "loyalty-points": 0.10},
		"gourmet": {"wine-tasting": 0.32, "deli-coupon": 0.18, "bakery": 0.10, "loyalty-points": 0.10},
		"young":   {"energy-drinks": 0.26, "discount-10": 0.12, "loyalty-points": 0.10},
	}
)

// simBaseRate is the accept rate of an offer a segment has no taste for.
const simBaseRate = 0.03

// SimConfig sizes a simulation.
type SimConfig struct {
	// People are the customers; each is asked about once a simulated day.
	People int
	// Rounds are the decisions, one offer shown each.
	Rounds int
	// Dislike is the share of people who never accept their segment's
	// best offer: a hidden personal preference only suppression can learn.
	Dislike float64
	Seed    uint64
	// Policy is the learned policy's; Simulate turns caps and quiet hours
	// off (the web channel) and learns by segment.
	Policy Policy
	// Checkpoints is how many points the curves have.
	Checkpoints int
}

// SimCurve is one policy's course over the rounds, at each checkpoint:
// the cumulative accept rate, the cumulative regret (accepts expected
// from the best offer for each person minus those expected from the
// offers shown) and the share of offers shown in the last stretch that
// the person never accepts.
type SimCurve struct {
	Policy     string    `json:"policy"`
	Rounds     []int     `json:"rounds"`
	AcceptRate []float64 `json:"acceptRate"`
	Regret     []float64 `json:"regret"`
	Irrelevant []float64 `json:"irrelevant"`
}

// SimResult is what Simulate measured.
type SimResult struct {
	Curves []SimCurve `json:"curves"`
	// BestShare is, per segment, the share of the learned policy's last
	// fifth of treatment decisions that showed the segment's best offer to
	// people who do not dislike it.
	BestShare map[string]float64 `json:"bestShare"`
	// Report is the learned policy's offer report, with the lift over its
	// own control group.
	Report Report `json:"report"`
}

// simPerson is a customer with hidden true accept probabilities.
type simPerson struct {
	id      string
	segment string
	p       map[string]float64
	best    string
	history []rapport.Outcome
}

// simWorld builds the customers: each draws a segment, the segment's
// rates with personal noise (×0.7 to ×1.3), and with probability Dislike
// a zero rate for the segment's best offer.
func simWorld(cfg SimConfig, r *rand.Rand) []*simPerson {
	people := make([]*simPerson, cfg.People)
	for i := range people {
		seg := simSegments[r.IntN(len(simSegments))]
		p := &simPerson{id: fmt.Sprintf("p%05d", i), segment: seg, p: map[string]float64{}}
		top := ""
		for _, o := range simOffers {
			rate, ok := simRates[seg][o]
			if !ok {
				rate = simBaseRate
			}
			p.p[o] = rate * (0.7 + 0.6*r.Float64())
			if top == "" || simRates[seg][o] > simRates[seg][top] {
				top = o
			}
		}
		if r.Float64() < cfg.Dislike {
			p.p[top] = 0
		}
		for _, o := range simOffers {
			if p.best == "" || p.p[o] > p.p[p.best] {
				p.best = o
			}
		}
		people[i] = p
	}
	return people
}

// simCatalog is the eight offers, for the web, value 1 each.
func simCatalog() *Catalog {
	var offers []*Offer
	for _, id := range simOffers {
		o, err := CompileOffer(&rapport.Offer{ID: id, Title: id, Channels: []string{rapport.ChannelWeb}, Value: 1,
			Stage: rapport.StageActivation, Window: "24h"})
		if err != nil {
			panic(err) // the constant catalog above compiles
		}
		offers = append(offers, o)
	}
	c, _ := NewCatalog(offers, nil)
	return c
}

// Simulate runs the same customers and the same sequence of visits
// through four policies: Rapport's (learned per segment, with suppression
// and a control group), the same without suppression, a random offer, and
// one newsletter for everyone.
func Simulate(cfg SimConfig) SimResult {
	if cfg.Checkpoints <= 0 {
		cfg.Checkpoints = 20
	}
	res := SimResult{BestShare: map[string]float64{}}
	pol := cfg.Policy
	pol.ChannelCaps, pol.QuietHours, pol.LearnBy = nil, QuietHours{}, simSegments
	noSup := pol
	noSup.Suppression.After = 0
	for _, run := range []struct {
		name   string
		engine *Engine
	}{{"rapport", NewEngine(pol, cfg.Seed)}, {"rapport without suppression", NewEngine(noSup, cfg.Seed)},
		{"random", nil}, {"newsletter", nil}} {
		curve, best, rep := simRun(cfg, run.name, run.engine)
		res.Curves = append(res.Curves, curve)
		if run.name == "rapport" {
			res.BestShare, res.Report = best, rep
		}
	}
	return res
}

// simRun runs one policy; a nil engine means the named fixed policy.
func simRun(cfg SimConfig, name string, e *Engine) (SimCurve, map[string]float64, Report) {
	r := rand.New(rand.NewPCG(cfg.Seed, 7))
	people := simWorld(cfg, r)
	if e != nil {
		e.SetCatalog(simCatalog())
	}
	s := &simState{cfg: cfg, curve: SimCurve{Policy: name}, best: map[string][2]int{}}
	start := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	step := 24 * time.Hour / time.Duration(cfg.People)
	for round := range cfg.Rounds {
		now := start.Add(time.Duration(round) * step)
		s.expire(e, now)
		p := people[r.IntN(len(people))]
		offerID, d := simChoose(name, e, p, now, r, round)
		s.show(e, p, offerID, d, now, r, round)
		if (round+1)%(cfg.Rounds/cfg.Checkpoints) == 0 {
			s.checkpoint(round + 1)
		}
	}
	share := map[string]float64{}
	for seg, n := range s.best {
		if n[1] > 0 {
			share[seg] = float64(n[0]) / float64(n[1])
		}
	}
	var rep Report
	if e != nil {
		rep = NewReport(e.Learner().Stats(), nil, e.Learner().Retired())
	}
	return s.curve, share, rep
}

// simChoose returns the offer a policy shows the person, and the
// engine's decision (nil for the fixed policies).
func simChoose(name string, e *Engine, p *simPerson, now time.Time, r *rand.Rand, round int) (string, *rapport.Decision) {
	switch name {
	case "random":
		return simOffers[r.IntN(len(simOffers))], nil
	case "newsletter":
		return "loyalty-points", nil
	}
	d := e.Decide(Input{ID: fmt.Sprintf("d%d", round), Profile: &rapport.Profile{ID: p.id}, Segments: []string{p.segment},
		Context: rapport.DecisionContext{Channel: rapport.ChannelWeb}, History: p.history, Now: now, Limit: 1})
	if len(d.Offers) == 0 {
		return "", &d
	}
	return d.Offers[0].OfferID, &d
}

// simState accumulates one run's measurements.
type simState struct {
	cfg                   SimConfig
	curve                 SimCurve
	shown, accepted       int
	regret                float64
	windowShown, windowIr int
	// best counts, per segment, the last fifth's treatment decisions that
	// showed the segment's best offer to someone who likes it, and all of
	// them for those people.
	best    map[string][2]int
	pending []simPending
}

// simPending is a shown offer waiting for its window to pass.
type simPending struct {
	o rapport.Outcome
	p *simPerson
}

// show records an offer shown and the person's answer: accepted with
// their true probability p; else clicked with probability p (interest
// without an accept this time); else dismissed three times in ten, else
// no answer (an ignore once its window passes).
func (s *simState) show(e *Engine, p *simPerson, offerID string, d *rapport.Decision, now time.Time, r *rand.Rand, round int) {
	if offerID == "" {
		return
	}
	s.shown++
	s.windowShown++
	s.regret += p.p[p.best] - p.p[offerID]
	if p.p[offerID] == 0 {
		s.windowIr++
	}
	top := ""
	for o, rate := range simRates[p.segment] {
		if top == "" || rate > simRates[p.segment][top] {
			top = o
		}
	}
	if d != nil && !d.Control && round >= s.cfg.Rounds*4/5 && p.p[top] > 0 {
		n := s.best[p.segment]
		if offerID == top {
			n[0]++
		}
		n[1]++
		s.best[p.segment] = n
	}
	o := rapport.Outcome{DecisionID: fmt.Sprintf("d%d", round), OfferID: offerID, ProfileID: p.id, Type: rapport.OutcomeShown,
		Channel: rapport.ChannelWeb, At: now, Due: now.Add(24 * time.Hour)}
	if d != nil {
		o.Arm, o.Control = d.Arm, d.Control
	}
	s.record(e, p, o)
	answer := o
	answer.At, answer.Due = now.Add(time.Minute), time.Time{}
	switch u := r.Float64(); {
	case u < p.p[offerID]:
		s.accepted++
		answer.Type = rapport.OutcomeAccepted
	case u < 2*p.p[offerID]:
		answer.Type = rapport.OutcomeClicked
	case r.Float64() < 0.3:
		answer.Type = rapport.OutcomeDismissed
	default:
		s.pending = append(s.pending, simPending{o, p})
		return
	}
	s.record(e, p, answer)
}

// record adds an outcome to the person's history and the learner.
func (s *simState) record(e *Engine, p *simPerson, o rapport.Outcome) {
	p.history = append(p.history, o)
	if len(p.history) > 200 {
		p.history = p.history[len(p.history)-200:]
	}
	if e != nil {
		e.Learner().Observe(o)
	}
}

// expire turns shown offers whose window has passed into ignores, as the
// service's sweep does.
func (s *simState) expire(e *Engine, now time.Time) {
	for len(s.pending) > 0 && !s.pending[0].o.Due.After(now) {
		w := s.pending[0]
		s.pending = s.pending[1:]
		o := w.o
		o.Type, o.At, o.Due = rapport.OutcomeIgnored, o.Due, time.Time{}
		s.record(e, w.p, o)
	}
}

func (s *simState) checkpoint(round int) {
	c := &s.curve
	c.Rounds = append(c.Rounds, round)
	c.AcceptRate = append(c.AcceptRate, float64(s.accepted)/float64(max(s.shown, 1)))
	c.Regret = append(c.Regret, s.regret)
	c.Irrelevant = append(c.Irrelevant, float64(s.windowIr)/float64(max(s.windowShown, 1)))
	s.windowShown, s.windowIr = 0, 0
}

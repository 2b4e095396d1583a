package offer

import (
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/expr-lang/expr/vm"

	"github.com/rapportdev/rapport"
)

// Engine answers decisions with the catalog in use and what its Learner
// has learned. Safe for concurrent use: the catalog is swapped atomically
// and each decision uses its own VM and random source.
type Engine struct {
	policy  Policy
	catalog atomic.Pointer[Catalog]
	learner *Learner
	seed    uint64
	calls   atomic.Uint64
}

// NewEngine returns an engine with an empty catalog. seed makes its
// random draws reproducible (tests, simulations); give a random one in
// production.
func NewEngine(p Policy, seed uint64) *Engine {
	if p.Timezone == nil {
		p.Timezone = time.UTC
	}
	e := &Engine{policy: p, learner: NewLearner(p), seed: seed}
	e.catalog.Store(&Catalog{byID: map[string]*Offer{}, triggers: map[string][]*Trigger{}})
	return e
}

// Policy returns the engine's policy.
func (e *Engine) Policy() Policy { return e.policy }

// Learner returns the engine's learner.
func (e *Engine) Learner() *Learner { return e.learner }

// Catalog returns the catalog in use.
func (e *Engine) Catalog() *Catalog { return e.catalog.Load() }

// SetCatalog puts a catalog in use for the decisions that start after.
func (e *Engine) SetCatalog(c *Catalog) { e.catalog.Store(c) }

// Input is what a decision is made from.
type Input struct {
	// ID is the decision's id.
	ID string
	// Profile is the person, nil when unknown (a visitor whose first
	// events are not applied yet); Key then stands for them in the control
	// group's hash.
	Profile *rapport.Profile
	Key     string
	Score   *rapport.ScoreRecord
	// Segments are the ids of the segments the person is in.
	Segments []string
	Context  rapport.DecisionContext
	// History is the person's recent outcomes (Summarize).
	History []rapport.Outcome
	// Now is the time of the decision when Context.Time is zero.
	Now time.Time
	// Limit is how many offers to return; 0 means the policy's.
	Limit int
	// Event is the event that fired a trigger, for Env.Event and
	// Env.Properties.
	Event *rapport.Event
}

// candidate is an eligible offer being ranked.
type candidate struct {
	o    *Offer
	post Posterior
	p    float64
	ev   float64
}

// Decide returns the ranked offers for the input, with the reason for
// each, the consent check made, and why eligible offers were left out.
func (e *Engine) Decide(in Input) rapport.Decision {
	now := in.Context.Time
	if now.IsZero() {
		now = in.Now
	}
	key := in.Key
	d := rapport.Decision{ID: in.ID, At: now, Context: in.Context, Offers: []rapport.RankedOffer{}}
	if in.Profile != nil {
		d.ProfileID, key = in.Profile.ID, in.Profile.ID
	}
	d.Control = InControl(key, e.policy.ControlShare)
	d.Arm = ArmOf(e.policy.LearnBy, in.Segments, in.Score)
	d.Consent = checkConsent(in.Profile, in.Context.Channel, e.policy.ConsentFor)
	loc := Location(in.Context, in.Profile, e.policy.Timezone)
	sum := Summarize(in.History, now, loc, e.policy.Suppression)
	if d.Blocked = e.blocked(&d, now.In(loc), sum); d.Blocked != "" {
		return d
	}
	cands := e.eligible(&d, in, now, loc, sum)
	limit := in.Limit
	if limit <= 0 {
		limit = e.policy.Limit
	}
	r := rand.New(rand.NewPCG(e.seed, e.calls.Add(1)))
	d.Offers = e.rank(&d, cands, limit, r)
	candidates.Put(&cands)
	return d
}

// candidates recycles the candidate lists of decisions: a list is as
// long as the catalog, and allocating one per decision was a third of
// the bytes a decision allocated (what makes the garbage collector run).
var candidates = sync.Pool{New: func() any { return new([]candidate) }}

// eligible returns the offers for the channel that run now, whose
// eligibility holds and that are not excluded (recorded in d.Excluded),
// with their posteriors.
func (e *Engine) eligible(d *rapport.Decision, in Input, now time.Time, loc *time.Location, sum Summary) []candidate {
	env := inputEnv(in, now, loc)
	var m vm.VM
	offers := e.catalog.Load().offers
	cands := (*candidates.Get().(*[]candidate))[:0]
	e.learner.mu.RLock()
	defer e.learner.mu.RUnlock()
	for _, o := range offers {
		if !o.forChannel(in.Context.Channel) || !o.def.Runs(now) || (o.rule != nil && !o.rule.Match(&m, &env)) {
			continue
		}
		post := e.learner.posterior(o.def.ID, d.Arm)
		if why := e.excluded(o, d, sum, post); why != "" {
			d.Excluded = append(d.Excluded, rapport.Exclusion{OfferID: o.def.ID, Reason: why})
			continue
		}
		cands = append(cands, candidate{o: o, post: post})
	}
	return cands
}

// inputEnv is the Env expressions see for an input.
func inputEnv(in Input, now time.Time, loc *time.Location) Env {
	env := NewEnv(in.Profile, in.Score, in.Segments, in.Context, now, loc)
	if in.Event != nil {
		env.Event, env.Properties = EventName(in.Event), in.Event.Properties
	}
	return env
}

// Fire decides for a trigger if its condition holds for the person and
// the event of the input (ok reports whether it did). The decision names
// the trigger; without a limit of its own the input takes the trigger's
// (default 1).
func (e *Engine) Fire(t *Trigger, in Input) (d rapport.Decision, ok bool) {
	if t.def.Paused {
		return d, false
	}
	if t.rule != nil {
		now := in.Context.Time
		if now.IsZero() {
			now = in.Now
		}
		env := inputEnv(in, now, Location(in.Context, in.Profile, e.policy.Timezone))
		var m vm.VM
		if !t.rule.Match(&m, &env) {
			return d, false
		}
	}
	if in.Limit <= 0 {
		in.Limit = max(t.def.Limit, 1)
	}
	d = e.Decide(in)
	d.Trigger = t.def.ID
	return d, true
}

func (o *Offer) forChannel(ch string) bool {
	for _, c := range o.def.Channels {
		if c == ch {
			return true
		}
	}
	return false
}

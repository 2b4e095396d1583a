package decide

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/offer"
)

// historyLimit bounds the outcomes read for one person's suppression and
// caps.
const historyLimit = 1000

// Request asks for the offers to show a person in a context.
type Request struct {
	// ProfileID names the person; else Identity does (a userId, an
	// anonymousId, an email ...). An identity no profile holds yet is a
	// visitor Rapport knows nothing about: they get the offers anyone is
	// eligible for.
	ProfileID string
	Identity  rapport.Identity
	Context   rapport.DecisionContext
	// Limit is how many offers to return; 0 means the policy's.
	Limit int
}

// person is what a decision reads about someone.
type person struct {
	profile  *rapport.Profile
	key      string
	score    *rapport.ScoreRecord
	segments []string
	history  []rapport.Outcome
}

// Decide answers a request: the ranked offers with the reason for each.
// The decision is recorded (with its consent check) within a few
// milliseconds, in the background.
func (s *Service) Decide(ctx context.Context, req Request) (*rapport.Decision, error) {
	if req.Limit < 0 || req.Limit > 50 {
		return nil, rapport.Errorf(rapport.EINVALID, "limit: 0 to 50")
	}
	if err := checkContext(req.Context); err != nil {
		return nil, err
	}
	in, err := s.Input(ctx, req)
	if err != nil {
		return nil, err
	}
	d := s.engine.Decide(in)
	if err := s.keep(ctx, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// Input reads what the decision for req is made from, without making it:
// the person, their score, segments and recent outcomes.
func (s *Service) Input(ctx context.Context, req Request) (offer.Input, error) {
	now := s.cfg.Clock.Now()
	p, err := s.person(ctx, req, now)
	if err != nil {
		return offer.Input{}, err
	}
	return offer.Input{ID: rapport.NewID("d_"), Profile: p.profile, Key: p.key, Score: p.score,
		Segments: p.segments, Context: req.Context, History: p.history, Now: now, Limit: req.Limit}, nil
}

// keep remembers a decision for its outcomes and queues its record.
func (s *Service) keep(ctx context.Context, d *rapport.Decision) error {
	rec := recordOf(d)
	s.recent.add(rec)
	if err := s.rec.add(ctx, rec); err != nil {
		return fmt.Errorf("record decision: %w", err)
	}
	return nil
}

// recordOf is the decision as recorded: without the offers' payloads,
// which the catalog holds and which would make every record as large as
// the content it points to.
func recordOf(d *rapport.Decision) *rapport.Decision {
	rec := *d
	rec.Offers = make([]rapport.RankedOffer, len(d.Offers))
	for i, o := range d.Offers {
		o.Payload = nil
		rec.Offers[i] = o
	}
	return &rec
}

// checkContext refuses a context no decision can be made in.
func checkContext(c rapport.DecisionContext) error {
	if !slices.Contains(rapport.OfferChannels, c.Channel) {
		return rapport.Errorf(rapport.EINVALID, "context.channel %q: want one of %v", c.Channel, rapport.OfferChannels)
	}
	if c.Timezone != "" {
		if _, err := time.LoadLocation(c.Timezone); err != nil {
			return rapport.Errorf(rapport.EINVALID, "context.timezone %q: not an IANA time zone", c.Timezone)
		}
	}
	return nil
}

// person reads the person a request names, with their score, segments
// and recent outcomes: from the cache when it holds them.
func (s *Service) person(ctx context.Context, req Request, now time.Time) (person, error) {
	id := req.ProfileID
	if id == "" && req.Identity.Value == "" {
		return person{}, rapport.Errorf(rapport.EINVALID, "name the person: profileId, userId, anonymousId, email or phone")
	}
	var epoch uint64
	if s.people != nil {
		if pid, ok := s.people.lookup(req.Identity); ok && id == "" {
			id = pid
		}
		if p, ok := s.people.get(id, now); ok && id != "" {
			return p, nil
		}
		epoch = s.people.begin()
	}
	if id == "" {
		found, err := s.cfg.Store.FindProfileIDByIdentity(ctx, req.Identity)
		if rapport.ErrorCode(err) == rapport.ENOTFOUND {
			return person{key: req.Identity.String()}, nil
		} else if err != nil {
			return person{}, fmt.Errorf("look up %s: %w", req.Identity.Kind, err)
		}
		id = found
	}
	p, err := s.findProfile(ctx, id)
	if err != nil {
		return person{}, err
	}
	out, err := s.about(ctx, p, nil, now)
	if err == nil && s.people != nil {
		s.people.put(out, epoch, now)
	}
	return out, err
}

// findProfile returns the profile id names, or the one it was merged
// into since: a link or a bookmark may name a merged-away profile.
func (s *Service) findProfile(ctx context.Context, id string) (*rapport.Profile, error) {
	p, err := s.cfg.Store.FindProfileByID(ctx, id)
	if rapport.ErrorCode(err) != rapport.ENOTFOUND {
		return p, err
	}
	into, serr := rapport.FindSurvivor(ctx, s.cfg.Store, id)
	if serr != nil || into == "" {
		return nil, cmp.Or(serr, err)
	}
	return s.cfg.Store.FindProfileByID(ctx, into)
}

// about reads a known person's score (unless given), segments and recent
// outcomes.
func (s *Service) about(ctx context.Context, p *rapport.Profile, score *rapport.ScoreRecord, now time.Time) (person, error) {
	out := person{profile: p, key: p.ID, score: score}
	if score == nil {
		sc, err := s.cfg.Store.FindScore(ctx, p.ID)
		if err != nil && rapport.ErrorCode(err) != rapport.ENOTFOUND {
			return out, fmt.Errorf("read score of %s: %w", p.ID, err)
		}
		out.score = sc
	}
	m, err := s.cfg.Store.FindMemberships(ctx, []string{p.ID})
	if err != nil {
		return out, fmt.Errorf("read segments of %s: %w", p.ID, err)
	}
	out.segments = m[p.ID]
	out.history, err = s.cfg.Store.FindOutcomes(ctx, rapport.OutcomeFilter{ProfileID: p.ID,
		Since: now.Add(-s.lookback()), Limit: historyLimit})
	if err != nil {
		return out, fmt.Errorf("read outcomes of %s: %w", p.ID, err)
	}
	return out, nil
}

// lookback is how far back a person's outcomes are read: far enough for a
// week's caps and for the ignores behind a suppression and its cooldown.
func (s *Service) lookback() time.Duration {
	return max(2*s.cfg.Policy.Suppression.Cooldown, 8*24*time.Hour)
}

// Decision returns a decision: a recent one from memory, else the store's
// record.
func (s *Service) Decision(ctx context.Context, id string) (*rapport.Decision, error) {
	if d := s.recent.get(id); d != nil {
		return d, nil
	}
	return s.cfg.Store.FindDecision(ctx, id)
}

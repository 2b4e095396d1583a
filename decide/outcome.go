package decide

import (
	"context"
	"time"

	"github.com/rapportdev/rapport"
)

// OutcomeRequest reports what became of an offer a decision returned.
type OutcomeRequest struct {
	DecisionID string
	OfferID    string
	// Type is one of shown, clicked, accepted, dismissed, converted;
	// ignored is Rapport's to record.
	Type    string
	Revenue float64
	// At is when it happened; zero means now.
	At time.Time
}

// maxOutcomes bounds the outcomes of one request.
const maxOutcomes = 500

// RecordOutcomes records outcomes and teaches the new ones to the
// posteriors. A conversion implies an accept, recorded with it when none
// was. It returns the outcomes that were new (a retry adds nothing).
func (s *Service) RecordOutcomes(ctx context.Context, reqs []OutcomeRequest) ([]rapport.Outcome, error) {
	if len(reqs) == 0 || len(reqs) > maxOutcomes {
		return nil, rapport.Errorf(rapport.EINVALID, "outcomes: give 1 to %d", maxOutcomes)
	}
	now := s.cfg.Clock.Now()
	var outcomes []rapport.Outcome
	// Survivors by the decisions' profile ids: a request's outcomes are
	// mostly about one decision.
	survivors := map[string]string{}
	for i, r := range reqs {
		o, err := s.outcome(ctx, r, now, survivors)
		if err != nil {
			if rapport.ErrorCode(err) == rapport.EINVALID || rapport.ErrorCode(err) == rapport.ENOTFOUND {
				return nil, rapport.Errorf(rapport.ErrorCode(err), "outcomes[%d]: %s", i, rapport.ErrorMessage(err))
			}
			return nil, err
		}
		outcomes = append(outcomes, o)
		if o.Type == rapport.OutcomeConverted {
			accept := o
			accept.Type, accept.Revenue = rapport.OutcomeAccepted, 0
			outcomes = append(outcomes, accept)
		}
	}
	return s.record(ctx, outcomes)
}

// record stores outcomes and teaches the new ones.
func (s *Service) record(ctx context.Context, outcomes []rapport.Outcome) ([]rapport.Outcome, error) {
	added, err := s.cfg.Store.RecordOutcomes(ctx, outcomes)
	if err != nil {
		return nil, err
	}
	for _, o := range added {
		s.engine.Learner().Observe(o)
	}
	if s.people != nil {
		s.people.recorded(added)
	}
	return added, nil
}

// outcome completes a request with what its decision says: the person
// (the survivor, when they were merged into someone since; survivors
// remembers those looked up), the channel, the arm, the control flag
// and, for a show, when it counts as ignored.
func (s *Service) outcome(ctx context.Context, r OutcomeRequest, now time.Time, survivors map[string]string) (rapport.Outcome, error) {
	switch r.Type {
	case rapport.OutcomeShown, rapport.OutcomeClicked, rapport.OutcomeAccepted, rapport.OutcomeDismissed, rapport.OutcomeConverted:
	case rapport.OutcomeIgnored:
		return rapport.Outcome{}, rapport.Errorf(rapport.EINVALID, "type: ignored is recorded by Rapport when a shown offer's window passes")
	default:
		return rapport.Outcome{}, rapport.Errorf(rapport.EINVALID, "type %q: want shown, clicked, accepted, dismissed or converted", r.Type)
	}
	if r.Revenue != 0 && r.Type != rapport.OutcomeConverted {
		return rapport.Outcome{}, rapport.Errorf(rapport.EINVALID, "revenue: only a conversion has revenue")
	}
	d, err := s.Decision(ctx, r.DecisionID)
	if err != nil {
		return rapport.Outcome{}, err
	}
	if d.Offered(r.OfferID) == nil {
		return rapport.Outcome{}, rapport.Errorf(rapport.EINVALID, "offer %q: decision %s did not return it", r.OfferID, d.ID)
	}
	at := r.At
	if at.IsZero() {
		at = now
	}
	who, ok := survivors[d.ProfileID]
	if !ok {
		if who, err = s.survivor(ctx, d.ProfileID); err != nil {
			return rapport.Outcome{}, err
		}
		survivors[d.ProfileID] = who
	}
	o := rapport.Outcome{DecisionID: d.ID, OfferID: r.OfferID, ProfileID: who, Type: r.Type,
		Channel: d.Context.Channel, Arm: d.Arm, Control: d.Control, Revenue: r.Revenue, At: at}
	if o.Type == rapport.OutcomeShown {
		o.Due = at.Add(s.window(r.OfferID))
	}
	return o, o.Validate()
}

// window is how long a shown offer waits for an answer: the offer's, or
// the default for an offer gone from the catalog.
func (s *Service) window(offerID string) time.Duration {
	if o := s.engine.Catalog().Offer(offerID); o != nil {
		return o.Window()
	}
	return rapport.DefaultOfferWindow
}

// Sweep records an ignore for every shown offer whose window has passed
// without an answer, and teaches them.
func (s *Service) Sweep(ctx context.Context) error {
	for {
		due, err := s.cfg.Store.FindUnanswered(ctx, s.cfg.Clock.Now(), 1000)
		if err != nil {
			return err
		}
		if len(due) == 0 {
			return nil
		}
		for i := range due {
			due[i].Type, due[i].At, due[i].Due = rapport.OutcomeIgnored, due[i].Due, time.Time{}
		}
		if _, err := s.record(ctx, due); err != nil {
			return err
		}
		if len(due) < 1000 {
			return nil
		}
	}
}

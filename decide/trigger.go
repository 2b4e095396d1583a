package decide

import (
	"context"
	"fmt"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/offer"
)

// triggerJob is an applied event some trigger listens for, with its
// person as the batch left them.
type triggerJob struct {
	event   rapport.Event
	profile *rapport.Profile
	score   *rapport.ScoreRecord
}

// OnApplied is the processor's hook after each batch it stored: whoever
// the batch touched is read afresh by the next decision, and the events a
// trigger listens for go to the trigger worker. It never blocks
// the processor: when the worker is a thousand batches behind, the batch
// is passed over and counted (Fired). Events older than TriggerMaxAge (an
// import, a replay) fire nothing.
func (s *Service) OnApplied(c rapport.Changes) {
	if s.people != nil {
		s.people.changed(c)
	}
	cat := s.engine.Catalog()
	if !cat.HasTriggers() {
		return
	}
	now := s.cfg.Clock.Now()
	var owners map[rapport.Identity]*rapport.Profile
	var scores map[string]*rapport.ScoreRecord
	for i := range c.Events {
		e := &c.Events[i]
		if len(cat.Triggers(e)) == 0 || now.Sub(e.Timestamp) > s.cfg.TriggerMaxAge {
			continue
		}
		if owners == nil {
			owners, scores = index(c)
		}
		p := owners[rapport.Identity{Kind: rapport.IdentityUserID, Value: e.UserID}]
		if p == nil {
			p = owners[rapport.Identity{Kind: rapport.IdentityAnonymousID, Value: e.AnonymousID}]
		}
		if p == nil {
			continue // merged away or erased within the batch
		}
		select {
		case s.jobs <- triggerJob{event: *e, profile: p, score: scores[p.ID]}:
		default:
			s.droppedJobs.Add(1)
		}
	}
}

// index maps a batch's identities to their profiles, and profile ids to
// their scores.
func index(c rapport.Changes) (map[rapport.Identity]*rapport.Profile, map[string]*rapport.ScoreRecord) {
	owners := map[rapport.Identity]*rapport.Profile{}
	for _, p := range c.Profiles {
		for _, id := range p.Identities {
			owners[id] = p
		}
	}
	scores := make(map[string]*rapport.ScoreRecord, len(c.Scores))
	for i := range c.Scores {
		scores[c.Scores[i].ProfileID] = &c.Scores[i]
	}
	return owners, scores
}

// runTriggers fires the queued jobs until ctx ends.
func (s *Service) runTriggers(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case j := <-s.jobs:
			if err := s.fire(ctx, j); err != nil && ctx.Err() == nil {
				s.log.Error("offers: trigger failed", "event", j.event.MessageID, "err", err)
			}
		}
	}
}

// fire decides for every trigger of the job's event whose condition
// holds, queues each decision with offers for webhooks, and records its
// offers as shown: the push is the showing.
func (s *Service) fire(ctx context.Context, j triggerJob) error {
	now := s.cfg.Clock.Now()
	who, err := s.about(ctx, j.profile, j.score, now)
	if err != nil {
		return err
	}
	var notes []rapport.Notification
	var shown []rapport.Outcome
	for _, t := range s.engine.Catalog().Triggers(&j.event) {
		d, ok := s.engine.Fire(t, offer.Input{ID: rapport.NewID("d_"), Profile: who.profile, Key: who.key, Score: who.score,
			Segments: who.segments, Context: offer.ContextOf(&j.event, t.Definition().Channel), History: who.history,
			Now: now, Event: &j.event})
		if !ok {
			continue
		}
		if err := s.keep(ctx, &d); err != nil {
			return err
		}
		if len(d.Offers) == 0 {
			continue
		}
		notes = append(notes, notification(&d, &j.event))
		for _, o := range d.Offers {
			shown = append(shown, rapport.Outcome{DecisionID: d.ID, OfferID: o.OfferID, ProfileID: d.ProfileID,
				Type: rapport.OutcomeShown, Channel: d.Context.Channel, Arm: d.Arm, Control: d.Control, At: now,
				Due: now.Add(s.window(o.OfferID))})
		}
	}
	if len(notes) == 0 {
		return nil
	}
	// The notification first: it is what the person is waiting for.
	if err := s.cfg.Store.EnqueueNotifications(ctx, notes); err != nil {
		return fmt.Errorf("queue trigger decisions: %w", err)
	}
	s.fired.Add(int64(len(notes)))
	if s.cfg.OnNotify != nil {
		s.cfg.OnNotify()
	}
	if _, err := s.record(ctx, shown); err != nil {
		return fmt.Errorf("record pushed offers as shown: %w", err)
	}
	return nil
}

// notification is what webhooks receive of a trigger's decision.
func notification(d *rapport.Decision, e *rapport.Event) rapport.Notification {
	offers := make([]any, len(d.Offers))
	for i, o := range d.Offers {
		offers[i] = map[string]any{"offerId": o.OfferID, "title": o.Title, "payload": o.Payload, "rank": o.Rank,
			"pAccept": o.PAccept, "value": o.Value, "expectedValue": o.ExpectedValue, "reason": o.Reason}
	}
	return rapport.Notification{Type: rapport.NotifyOfferDecided, ProfileID: d.ProfileID, At: d.At, Payload: map[string]any{
		"trigger": d.Trigger, "decisionId": d.ID, "channel": d.Context.Channel, "zone": d.Context.Zone,
		"beacon": d.Context.Beacon, "event": offer.EventName(e), "messageId": e.MessageID, "control": d.Control,
		"consent": map[string]any{"channel": d.Consent.Channel, "result": d.Consent.Result}, "offers": offers,
	}}
}

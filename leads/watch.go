package leads

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/lead"
)

// NotificationSLABreached is the webhook notification type of a lead of
// an alerting tier still waiting for its first contact attempt when its
// SLA ran out.
const NotificationSLABreached = "lead.sla_breached"

// Run watches the SLA until ctx is done: every WatchEvery it alerts on the
// leads that wait too long. A failed pass is logged and tried again at the
// next tick: the leads it missed are still waiting then. The conversion
// sweep runs beside it (runConversions) and stops with it.
func (s *Service) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() { s.runConversions(ctx) })
	t := time.NewTicker(s.cfg.WatchEvery)
	defer t.Stop()
	for {
		if _, err := s.Watch(ctx); err != nil && ctx.Err() == nil {
			s.cfg.Logger.Error("lead SLA watch", "err", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// Watch alerts once on every lead of an alerting tier that has waited
// longer than its tier's SLA for a first contact attempt: the lead is
// marked alerted and a lead.sla_breached notification queued for the
// subscribed webhooks, in one transaction. It returns how many it alerted.
func (s *Service) Watch(ctx context.Context) (int, error) {
	now := s.cfg.Clock.Now()
	total := 0
	for _, tier := range s.cfg.AlertTiers {
		limit, ok := s.cfg.SLA[tier]
		if !ok {
			continue
		}
		for {
			waiting, err := s.cfg.Store.FindWaitingLeads(ctx, tier, now.Add(-limit), 500)
			if err != nil {
				return total, fmt.Errorf("find waiting %s leads: %w", tier, err)
			}
			if len(waiting) == 0 {
				break
			}
			n, err := s.alert(ctx, waiting, limit, now)
			total += n
			if err != nil || len(waiting) < 500 {
				return total, err
			}
		}
	}
	return total, nil
}

func (s *Service) alert(ctx context.Context, waiting []rapport.Lead, limit time.Duration, now time.Time) (int, error) {
	alerts := make([]rapport.LeadAlert, len(waiting))
	for i := range waiting {
		l := &waiting[i]
		pid, err := s.cfg.Store.FindProfileIDByIdentity(ctx, rapport.Identity{Kind: rapport.IdentityAnonymousID, Value: lead.AnonymousID(l.PersonID)})
		if err != nil && rapport.ErrorCode(err) != rapport.ENOTFOUND {
			return 0, fmt.Errorf("find the profile of lead %s: %w", l.ID, err)
		}
		alerts[i] = rapport.LeadAlert{LeadID: l.ID, At: now, Notification: rapport.Notification{
			Type: NotificationSLABreached, ProfileID: pid, At: now,
			Payload: map[string]any{"leadId": l.ID, "vendorId": l.VendorID, "personId": l.PersonID, "tier": l.Tier,
				"team": l.Team, "submittedAt": l.SubmittedAt, "waitingSeconds": l.Age(now).Seconds(),
				"slaSeconds": limit.Seconds(), "probability": l.Value.Probability, "expectedValue": l.Value.Expected,
				"firstName": l.Person.FirstName, "lastName": l.Person.LastName}}}
	}
	n, err := s.cfg.Store.AlertLeads(ctx, alerts)
	if err != nil {
		return 0, fmt.Errorf("alert %d leads: %w", len(alerts), err)
	}
	if n > 0 {
		s.cfg.Logger.Info("lead SLA breached", "leads", n)
	}
	return n, nil
}

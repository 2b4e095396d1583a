package leads

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/lead"
)

// Dialer export bounds: leads older than a week or tried this often are
// not called again from the queue.
const (
	queueWindow      = 7 * 24 * time.Hour
	queueMaxAttempts = 6
)

// QueueEntry is one lead handed to a dialer.
type QueueEntry struct {
	LeadID    string            `json:"leadId"`
	PersonID  string            `json:"personId"`
	VendorID  string            `json:"vendorId"`
	FirstName string            `json:"firstName,omitempty"`
	LastName  string            `json:"lastName,omitempty"`
	Phone     string            `json:"phone,omitempty"`
	Email     string            `json:"email,omitempty"`
	Tier      string            `json:"tier"`
	Team      string            `json:"team,omitempty"`
	Value     rapport.LeadValue `json:"value"`
	Attempts  int               `json:"attempts"`
	// Age is seconds since the consumer submitted the form.
	Age float64 `json:"age"`
}

// Queue is the dialer export: the leads to contact on a channel, best
// first, and how many were held back because their consent does not
// cover it.
type Queue struct {
	Channel string       `json:"channel"`
	Leads   []QueueEntry `json:"leads"`
	Blocked int          `json:"blocked"`
	Checks  []Check      `json:"checks"`
}

// Queue returns up to limit leads to contact on channel: received in the
// last week, not converted, tried fewer than six times, not held (no
// consent) or under review (bot), by tier, then expected value, then age
// (oldest first). Every lead considered has its consent checked, and the
// check is recorded on the person's profile as a Consent Checked event,
// allowed or blocked, before the list is returned.
func (s *Service) Queue(ctx context.Context, channel string, limit int) (*Queue, error) {
	now := s.cfg.Clock.Now()
	cands, err := s.leadsIn(ctx, now.Add(-queueWindow), time.Time{}, "")
	if err != nil {
		return nil, err
	}
	cands = slices.DeleteFunc(cands, func(l rapport.Lead) bool {
		return !l.ConvertedAt.IsZero() || l.Attempts >= queueMaxAttempts || l.Tier == lead.TierReview
	})
	slices.SortFunc(cands, func(a, b rapport.Lead) int {
		return cmp.Or(cmp.Compare(tierRank(a.Tier), tierRank(b.Tier)), cmp.Compare(b.Value.Expected, a.Value.Expected),
			a.SubmittedAt.Compare(b.SubmittedAt), cmp.Compare(a.ID, b.ID))
	})
	q := &Queue{Channel: channel, Leads: []QueueEntry{}, Checks: []Check{}}
	var events []rapport.Event
	for i := range cands {
		if len(q.Leads) >= limit {
			break
		}
		l := &cands[i]
		c, err := s.checkConsent(ctx, l, channel, now)
		if err != nil {
			return nil, err
		}
		q.Checks = append(q.Checks, c)
		events = append(events, checkEvent(c, l, "dialer export", i))
		if !c.Allowed {
			q.Blocked++
			continue
		}
		q.Leads = append(q.Leads, entry(l, now))
	}
	if len(events) > 0 {
		if err := s.cfg.Ingest.Append(ctx, events); err != nil {
			return nil, fmt.Errorf("record %d consent checks: %w", len(events), err)
		}
	}
	return q, nil
}

func tierRank(t string) int {
	return cmp.Or(slices.Index([]string{lead.TierHot, lead.TierWarm, lead.TierCold, lead.TierHold}, t)+1, 9)
}

func entry(l *rapport.Lead, now time.Time) QueueEntry {
	return QueueEntry{LeadID: l.ID, PersonID: l.PersonID, VendorID: l.VendorID, FirstName: l.Person.FirstName,
		LastName: l.Person.LastName, Phone: l.Person.Phone, Email: l.Person.Email, Tier: l.Tier, Team: l.Team,
		Value: l.Value, Attempts: l.Attempts, Age: l.Age(now).Seconds()}
}

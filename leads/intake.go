package leads

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/lead"
)

// Result is what became of one lead of an intake: its id, person and
// value, or why it was refused.
type Result struct {
	Index    int    `json:"index"`
	LeadID   string `json:"leadId,omitempty"`
	PersonID string `json:"personId,omitempty"`
	// Inquiry is the lead's rank among its person's inquiries; above 1 it
	// is a duplicate, read as intent.
	Inquiry        int               `json:"inquiry,omitempty"`
	Retry          bool              `json:"retry,omitempty"`
	Contactable    bool              `json:"contactable"`
	ConsentProblem string            `json:"consentProblem,omitempty"`
	Tier           string            `json:"tier,omitempty"`
	Team           string            `json:"team,omitempty"`
	Value          rapport.LeadValue `json:"value,omitzero"`
	// Error is why the lead was refused; nothing else is set then.
	Error string `json:"error,omitempty"`
}

// Intake takes leads from vendor v: each valid lead is stored (a vendor's
// retry returns the stored lead), joined to its person's earlier
// inquiries, valued and routed, and its events appended to the log. An
// invalid lead gets an error in its Result and stops no other. The error
// returned is for the whole call (the store or the log failing): then no
// lead is acknowledged, and sending them again is safe.
func (s *Service) Intake(ctx context.Context, v *rapport.Vendor, in []rapport.Lead) ([]Result, error) {
	now := s.cfg.Clock.Now()
	results := make([]Result, len(in))
	var set intakeSet
	for i := range in {
		results[i].Index = i
		l := in[i]
		if err := lead.Prepare(&l, v, now); err != nil {
			results[i].Error = rapport.ErrorMessage(err)
			continue
		}
		l.ID = newLeadID(now)
		set.add(l, lead.MatchKeys(&l), i)
	}
	valid, keys, index := set.leads, set.keys, set.index
	if len(valid) == 0 {
		return results, nil
	}
	known, err := s.knownValues(ctx, valid, keys)
	if err != nil {
		return nil, err
	}
	// The store counts the caps in the transaction that stores the leads:
	// ingest processes scale out, and only the database sees them all.
	est, pricing := s.Estimator(), s.cfg.Pricing
	stored, err := s.groups.create(ctx, valid, keys, lead.Caps(v, now), func(l *rapport.Lead) {
		lead.Complete(l, v, est, pricing, s.cfg.Routing, known[l.ID])
	})
	if err != nil {
		return nil, fmt.Errorf("store %d leads of %s: %w", len(valid), v.ID, err)
	}
	var events []rapport.Event
	for k, c := range stored {
		if c.Refused != nil {
			results[index[k]].Error = rapport.ErrorMessage(lead.OverCapError(v, *c.Refused))
			continue
		}
		events = append(events, lead.Events(&c.Lead)...)
		results[index[k]] = result(index[k], &c.Lead, c.Retry)
	}
	if err := s.cfg.Ingest.Append(ctx, events); err != nil {
		return nil, fmt.Errorf("append the events of %d leads: %w", len(stored), err)
	}
	return results, nil
}

// intakeSet is the valid leads of an intake, their match keys and their
// indexes in the request.
type intakeSet struct {
	leads []rapport.Lead
	keys  [][]string
	index []int
}

func (s *intakeSet) add(l rapport.Lead, keys []string, index int) {
	s.leads, s.keys, s.index = append(s.leads, l), append(s.keys, keys), append(s.index, index)
}

func result(i int, l *rapport.Lead, retry bool) Result {
	return Result{Index: i, LeadID: l.ID, PersonID: l.PersonID, Inquiry: l.Inquiry, Retry: retry,
		Contactable: l.Contactable, ConsentProblem: l.ConsentProblem, Tier: l.Tier, Team: l.Team, Value: l.Value}
}

// lifetimeValueTrait is the profile trait that holds a person's lifetime
// value where Rapport knows it (set by an import or a CLV job): a lead of
// a known customer is worth that rather than the configured value.
const lifetimeValueTrait = "lifetime_value"

// knownValues returns, by lead id, the lifetime value of the leads whose
// email or phone already belongs to a profile that records one. One
// lookup for the whole batch; a profile read only for those found.
func (s *Service) knownValues(ctx context.Context, leads []rapport.Lead, keys [][]string) (map[string]float64, error) {
	ids := make([][]rapport.Identity, len(leads))
	var all []rapport.Identity
	for i := range leads {
		ids[i] = identities(&leads[i], keys[i])
		all = append(all, ids[i]...)
	}
	owners, err := s.cfg.Store.FindProfileIDsByIdentities(ctx, all)
	if err != nil || len(owners) == 0 {
		return nil, err
	}
	out := map[string]float64{}
	for i := range leads {
		for _, id := range ids[i] {
			pid, ok := owners[id]
			if !ok {
				continue
			}
			p, err := s.cfg.Store.FindProfileByID(ctx, pid)
			if rapport.ErrorCode(err) == rapport.ENOTFOUND {
				continue
			} else if err != nil {
				return nil, fmt.Errorf("read profile %s: %w", pid, err)
			}
			if v, ok := rapport.Number(p.Traits[lifetimeValueTrait]); ok && v > 0 {
				out[leads[i].ID] = v
			}
			break
		}
	}
	return out, nil
}

// identities are the lead's email and phone as identity resolution reads
// them. The phone is its match key's E.164 form: parsing a number is
// among the costliest steps of intake, so it is done once.
func identities(l *rapport.Lead, keys []string) []rapport.Identity {
	var ids []rapport.Identity
	if id, ok := rapport.NewIdentity(rapport.IdentityEmail, l.Person.Email); ok {
		ids = append(ids, id)
	}
	for _, k := range keys {
		if phone, ok := strings.CutPrefix(k, lead.PhoneKeyPrefix); ok {
			ids = append(ids, rapport.Identity{Kind: rapport.IdentityPhone, Value: phone})
		}
	}
	return ids
}

// newLeadID returns a lead id that sorts by time: the store's indexes on
// lead and person ids then grow at their end, as the log does, instead
// of touching a random page of each for every lead.
func newLeadID(now time.Time) string {
	var b [4]byte
	_, _ = rand.Read(b[:]) // crypto/rand does not fail on supported platforms
	return fmt.Sprintf("ld_%016x%s", now.UnixNano(), hex.EncodeToString(b[:]))
}

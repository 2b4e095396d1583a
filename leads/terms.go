package leads

import (
	"context"
	"fmt"
	"sync"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/lead"
)

// capLocks holds one lock per vendor under a cap: counting a vendor's
// leads and storing the new ones must not interleave with another intake
// of the same vendor, or both could pass the cap. Vendors without a cap
// take no lock, so their intakes still group into shared transactions.
type capLocks struct {
	mu    sync.Mutex
	locks map[string]*sync.Mutex
}

// lock locks v's intakes when its contract caps them; the returned func
// unlocks.
func (c *capLocks) lock(v *rapport.Vendor) func() {
	if v.Terms.DailyCap == 0 && v.Terms.MonthlyCap == 0 {
		return func() {}
	}
	c.mu.Lock()
	if c.locks == nil {
		c.locks = map[string]*sync.Mutex{}
	}
	l := c.locks[v.ID]
	if l == nil {
		l = &sync.Mutex{}
		c.locks[v.ID] = l
	}
	c.mu.Unlock()
	l.Lock()
	return l.Unlock
}

// applyCaps enforces v's caps on the valid leads of an intake, in order:
// a lead over a cap is refused with its error in results, or accepted
// unpaid when the contract says so (terms.overCap). A vendor's retry of
// a lead it sold before is never over the cap: the store returns the
// lead as stored. It returns the leads kept, with their keys and indexes.
func (s *Service) applyCaps(ctx context.Context, v *rapport.Vendor, in intakeSet, results []Result) (intakeSet, error) {
	caps := lead.Caps(v, s.cfg.Clock.Now())
	if len(caps) == 0 {
		return in, nil
	}
	used := make([]int, len(caps))
	for i, c := range caps {
		_, n, err := s.cfg.Store.FindBoughtLeads(ctx, rapport.BoughtLeadFilter{VendorID: v.ID, Since: c.Since, Limit: 1})
		if err != nil {
			return in, fmt.Errorf("count leads of %s under %s: %w", v.ID, c.Field, err)
		}
		used[i] = n
	}
	var out intakeSet
	for k := range in.leads {
		l := &in.leads[k]
		over := -1
		for i, c := range caps {
			if used[i] >= c.Limit {
				over = i
				break
			}
		}
		if over >= 0 {
			retry, err := s.sold(ctx, v, l.ExternalID)
			if err != nil {
				return in, err
			}
			if !retry && v.Terms.OverCap != rapport.OverCapUnpaid {
				results[in.index[k]].Error = rapport.ErrorMessage(lead.OverCapError(v, caps[over]))
				continue
			}
			if !retry {
				lead.Unpaid(l)
			}
		}
		for i := range used {
			used[i]++
		}
		out.add(*l, in.keys[k], in.index[k])
	}
	return out, nil
}

// sold reports whether v already sold the lead of that external id.
func (s *Service) sold(ctx context.Context, v *rapport.Vendor, externalID string) (bool, error) {
	_, n, err := s.cfg.Store.FindBoughtLeads(ctx, rapport.BoughtLeadFilter{VendorID: v.ID, ExternalID: externalID, Limit: 1})
	if err != nil {
		return false, fmt.Errorf("look up lead %s of %s: %w", externalID, v.ID, err)
	}
	return n > 0, nil
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

// Return gives a lead back to its vendor for a reason its contract
// accepts, within its return window, crediting the price paid. EINVALID
// for a reason the contract does not list, ECONFLICT when the lead cannot
// be returned (window closed, returned already, not paid, no returns in
// the contract), ENOTFOUND for an unknown lead.
func (s *Service) Return(ctx context.Context, id, reason string) (*rapport.Lead, error) {
	l, err := s.cfg.Store.FindLeadByID(ctx, id)
	if err != nil {
		return nil, err
	}
	v, err := s.cfg.Store.FindVendorByID(ctx, l.VendorID)
	if err != nil {
		return nil, fmt.Errorf("read vendor of lead %s: %w", id, err)
	}
	now := s.cfg.Clock.Now()
	reason, credit, err := lead.CheckReturn(l, v, reason, now)
	if err != nil {
		return nil, err
	}
	if err := s.cfg.Store.ReturnLead(ctx, rapport.LeadReturn{LeadID: id, Reason: reason, At: now, Credit: credit}); err != nil {
		return nil, err
	}
	return s.cfg.Store.FindLeadByID(ctx, id)
}

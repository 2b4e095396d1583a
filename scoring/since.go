package scoring

import (
	"slices"
	"time"

	"github.com/rapportdev/rapport"
)

// since returns when the profile first reached v's stage, by the times of
// the events the stage rests on (Subject.Firsts), so that it is the same
// whatever order the events arrived in; for at-risk and lapsed, when the
// customer became overdue. It returns the zero time when the first times
// do not say (a profile stored before they were kept: Firsts.Partial or
// missing), and the caller keeps the time of the transition it saw.
//
//   - prospect: the first event; lead: the first event with an identity of
//     a kind that makes a lead;
//   - new customer: the first order; repeat customer: the second;
//   - loyal: the order that met min_orders over min_tenure, or the first
//     purchase in the min_product_lines-th category, whichever came first;
//   - advocate: the later of becoming loyal and the first advocacy event.
//
// A customer back from at-risk is again in the stage they had reached, so
// Since is when they first reached it; the history records the episode.
func (c *compiled) since(s *Subject, v verdict) time.Time {
	if v.elapsed {
		return v.at
	}
	f := &s.Firsts
	if f.Partial && v.stage != StageProspect && v.stage != StageNew {
		return time.Time{}
	}
	switch v.stage {
	case StageProspect:
		return s.FirstSeen
	case StageLead:
		return c.identifiedAt(f)
	case StageNew:
		return s.FirstOrderAt
	case StageRepeat:
		return nthOrder(s, 2)
	case StageLoyal:
		return c.loyalAt(s)
	case StageAdvocate:
		loyal, adv := c.loyalAt(s), c.advocacyAt(s)
		if loyal.IsZero() || adv.IsZero() {
			return time.Time{}
		}
		return rapport.Latest(loyal, adv)
	}
	return time.Time{}
}

// identifiedAt is the first time an identity of a lead-making kind was
// seen.
func (c *compiled) identifiedAt(f *rapport.Firsts) time.Time {
	var at time.Time
	for i, k := range identityKinds {
		if c.identifiedMask&(1<<i) != 0 {
			t, _ := f.Identity(k)
			at = rapport.Earliest(at, t)
		}
	}
	return at
}

// ordersKnown reports whether Firsts holds every order it should: all of
// them, up to MaxFirstOrders. A profile stored before it was kept holds
// fewer.
func ordersKnown(s *Subject) bool {
	return int64(len(s.Firsts.Orders)) >= min(s.Orders, rapport.MaxFirstOrders)
}

// nthOrder is the time of the n-th order (from 1), zero when not known.
func nthOrder(s *Subject, n int) time.Time {
	if !ordersKnown(s) || len(s.Firsts.Orders) < n {
		return time.Time{}
	}
	return time.UnixMilli(s.Firsts.Orders[n-1]).UTC()
}

// loyalAt is when the customer first met the loyalty rule.
func (c *compiled) loyalAt(s *Subject) time.Time {
	var at time.Time
	if s.Orders >= c.loyal.MinOrders && s.LastOrderAt.Sub(s.FirstOrderAt) >= c.loyal.MinTenure.Std() {
		at = c.ordersLoyalAt(s)
	}
	if n := c.loyal.MinProductLines; n > 0 && s.ProductLines >= int64(n) && len(s.Firsts.Categories) == int(s.ProductLines) {
		at = rapport.Earliest(at, nthEarliest(s.Firsts.Categories, n))
	}
	return at
}

// ordersLoyalAt is the first order that makes min_orders orders over
// min_tenure. Past the orders Firsts keeps, it is the moment both could
// first hold: the last kept order, or min_tenure after the first.
func (c *compiled) ordersLoyalAt(s *Subject) time.Time {
	if !ordersKnown(s) {
		return time.Time{}
	}
	orders, tenure := s.Firsts.Orders, c.loyal.MinTenure.Std().Milliseconds()
	for j := int(c.loyal.MinOrders) - 1; j < len(orders); j++ {
		if orders[j]-orders[0] >= tenure {
			return time.UnixMilli(orders[j]).UTC()
		}
	}
	return time.UnixMilli(max(orders[len(orders)-1], orders[0]+tenure)).UTC()
}

// advocacyAt is the first advocacy event's time. With min_events above 1
// it is still the first one: Firsts keeps one time per event name.
func (c *compiled) advocacyAt(s *Subject) time.Time {
	var at time.Time
	for _, name := range c.advocacy {
		if s.Events[name] > 0 {
			t, ok := s.Firsts.Event(name)
			if !ok {
				return time.Time{} // counted before first times were kept
			}
			at = rapport.Earliest(at, t)
		}
	}
	return at
}

// nthEarliest returns the n-th earliest (from 1) of the times in list,
// which holds at least n: the earliest time with n times at or before it
// (one order often opens several categories at once). Lists of a few
// categories are counted in place; longer ones sorted in a copy.
func nthEarliest(list []rapport.FirstTime, n int) time.Time {
	if len(list) > 16 {
		times := make([]int64, len(list))
		for i, x := range list {
			times[i] = x.UnixMilli
		}
		slices.Sort(times)
		return time.UnixMilli(times[n-1]).UTC()
	}
	var at int64
	found := false
	for _, x := range list {
		k := 0
		for _, y := range list {
			if y.UnixMilli <= x.UnixMilli {
				k++
			}
		}
		if k >= n && (!found || x.UnixMilli < at) {
			at, found = x.UnixMilli, true
		}
	}
	return time.UnixMilli(at).UTC()
}

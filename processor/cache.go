package processor

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/profile"
)

// cache is the hot state in front of the store: profiles, identity owners,
// the order ids of ledgers read, the last session id per profile (which
// the store does not keep) and the profiles' stored scores (their state;
// nil for a profile known to have none), segment memberships and what the
// product catalogue said of the keys looked up. Its profiles are never
// modified: batches work on copies, and the cache takes the copies the
// store accepted.
type cache struct {
	max      int
	profiles map[string]*rapport.Profile
	owner    map[rapport.Identity]string
	orders   map[string]map[string]bool
	scores   map[string]*rapport.ScoreRecord
	// members holds each profile's segments, sorted (nil: in none).
	members map[string][]string
	// products holds what the catalogue said of each product key looked
	// up since productsAt (see expireProducts).
	products   map[string]productEntry
	productsAt time.Time
	// mine holds the profiles known to belong to the partition applied,
	// when the log is partitioned (see Partition).
	mine map[string]bool
}

func newCache(max int) *cache {
	c := &cache{max: max}
	c.reset()
	return c
}

func (c *cache) reset() {
	c.profiles = map[string]*rapport.Profile{}
	c.owner = map[rapport.Identity]string{}
	c.orders = map[string]map[string]bool{}
	c.scores = map[string]*rapport.ScoreRecord{}
	c.members = map[string][]string{}
	c.products = map[string]productEntry{}
	c.productsAt = time.Time{}
	c.mine = map[string]bool{}
}

// trim drops everything when the cache holds more than max profiles or,
// since a profile usually has a few identities, more than 4×max
// identities. Dropping it all is simple and correct: the store is the truth.
func (c *cache) trim() {
	if len(c.profiles) > c.max || len(c.owner) > 4*c.max {
		c.reset()
	}
}

// update records changes the store has accepted.
func (c *cache) update(ch rapport.Changes) {
	for _, m := range ch.Merges {
		delete(c.profiles, m.From)
		delete(c.scores, m.From)
		delete(c.members, m.From)
		// The ledgers were combined in the store; read them again when needed.
		delete(c.orders, m.From)
		delete(c.orders, m.Into)
	}
	for _, p := range ch.Profiles {
		c.profiles[p.ID] = p
	}
	for _, l := range ch.Identities {
		c.owner[l.Identity] = l.ProfileID
	}
	for _, o := range ch.Orders {
		if set, ok := c.orders[o.ProfileID]; ok {
			set[o.OrderID] = true
		}
	}
	for _, r := range ch.Scores {
		// The scorer needs the state only; the result is the store's.
		r.Result = nil
		c.scores[r.ProfileID] = &r
	}
	for _, m := range ch.Memberships {
		c.member(m)
	}
	c.trim()
}

// view backs profile.View with the cache, reading through to the store on
// a miss and keeping what it read. It lives for one batch.
type view struct {
	c     *cache
	store rapport.Store
	// absent holds identities the store was asked about for this batch
	// and holds no owner for. The batch tracks the identities it links
	// itself, so "absent" stays true for the batch's lookups.
	absent map[rapport.Identity]bool
	// read, when not nil, records the owner each identity was first found
	// with ("" for none): a partition's writes check it still holds.
	read map[rapport.Identity]string
}

// prefetch asks the store, in one query, for the owners of every identity
// the events may look up that the cache does not know. Most events of a
// busy site name identities seen before (cached) or never (absent); one
// query a batch replaces one query per identity.
func (v view) prefetch(ctx context.Context, events []rapport.Event) error {
	var ask []rapport.Identity
	seen := map[rapport.Identity]bool{}
	for i := range events {
		for _, id := range profile.Lookups(&events[i]) {
			if _, cached := v.c.owner[id]; !cached && !seen[id] {
				seen[id] = true
				ask = append(ask, id)
			}
		}
	}
	if len(ask) == 0 {
		return nil
	}
	owners, err := v.store.FindProfileIDsByIdentities(ctx, ask)
	if err != nil {
		return fmt.Errorf("find owners of %d identities: %w", len(ask), err)
	}
	for _, id := range ask {
		if pid, ok := owners[id]; ok {
			v.c.owner[id] = pid
		} else {
			v.absent[id] = true
		}
	}
	return nil
}

// ProfileIDByIdentity implements profile.View.
func (v view) ProfileIDByIdentity(ctx context.Context, id rapport.Identity) (string, bool, error) {
	pid, ok, err := v.profileIDByIdentity(ctx, id)
	if _, seen := v.read[id]; v.read != nil && !seen && err == nil {
		v.read[id] = pid
	}
	return pid, ok, err
}

func (v view) profileIDByIdentity(ctx context.Context, id rapport.Identity) (string, bool, error) {
	if pid, ok := v.c.owner[id]; ok {
		return pid, true, nil
	}
	if v.absent[id] {
		return "", false, nil
	}
	pid, err := v.store.FindProfileIDByIdentity(ctx, id)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		return "", false, nil
	} else if err != nil {
		return "", false, err
	}
	v.c.owner[id] = pid
	return pid, true, nil
}

// Profile implements profile.View.
func (v view) Profile(ctx context.Context, id string) (*rapport.Profile, bool, error) {
	if p, ok := v.c.profiles[id]; ok {
		return p, true, nil
	}
	p, err := v.store.FindProfileByID(ctx, id)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		return nil, false, nil
	} else if err != nil {
		return nil, false, err
	}
	v.c.profiles[id] = p
	return p, true, nil
}

// HasOrder implements profile.View, reading a profile's whole ledger once.
func (v view) HasOrder(ctx context.Context, profileID, orderID string) (bool, error) {
	set, ok := v.c.orders[profileID]
	if !ok {
		orders, err := v.store.FindOrders(ctx, profileID)
		if err != nil && rapport.ErrorCode(err) != rapport.ENOTFOUND {
			return false, fmt.Errorf("find orders: %w", err)
		}
		set = make(map[string]bool, len(orders))
		for _, o := range orders {
			set[o.OrderID] = true
		}
		v.c.orders[profileID] = set
	}
	return set[orderID], nil
}

// member records a membership change the store accepted, in a profile
// whose memberships the cache holds.
func (c *cache) member(m rapport.MembershipChange) {
	list, ok := c.members[m.ProfileID]
	if !ok {
		return
	}
	i, found := slices.BinarySearch(list, m.SegmentID)
	switch {
	case m.Entered && !found:
		list = slices.Insert(slices.Clone(list), i, m.SegmentID)
	case !m.Entered && found:
		list = slices.Delete(slices.Clone(list), i, i+1)
	}
	c.members[m.ProfileID] = list
}

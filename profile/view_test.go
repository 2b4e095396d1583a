package profile_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/profile"
)

// memView is an in-memory store for tests: a View that can also commit
// Changes the way a store would.
type memView struct {
	profiles map[string]*rapport.Profile
	owner    map[rapport.Identity]string
	orders   map[string][]rapport.Order
	// products is the catalogue, by key.
	products map[string]rapport.ProductInfo
	merges   []rapport.Merge
	cp       int64
	nextID   int
}

func newMemView() *memView {
	return &memView{
		profiles: map[string]*rapport.Profile{},
		owner:    map[rapport.Identity]string{},
		orders:   map[string][]rapport.Order{},
		products: map[string]rapport.ProductInfo{},
	}
}

func (v *memView) ProfileIDByIdentity(_ context.Context, id rapport.Identity) (string, bool, error) {
	pid, ok := v.owner[id]
	return pid, ok, nil
}

func (v *memView) Profile(_ context.Context, id string) (*rapport.Profile, bool, error) {
	p, ok := v.profiles[id]
	return p, ok, nil
}

func (v *memView) HasOrder(_ context.Context, profileID, orderID string) (bool, error) {
	return slices.ContainsFunc(v.orders[profileID], func(o rapport.Order) bool { return o.OrderID == orderID }), nil
}

// Product finds the product with id key, else one with SKU key.
func (v *memView) Product(_ context.Context, key string) (rapport.ProductInfo, bool, error) {
	for _, p := range v.products {
		if p.ID == key {
			return p, true, nil
		}
	}
	for _, p := range v.products {
		if p.SKU == key {
			return p, true, nil
		}
	}
	return rapport.ProductInfo{}, false, nil
}

// commit applies c as a store would: merges, profiles, links, orders.
func (v *memView) commit(t *testing.T, c rapport.Changes) {
	t.Helper()
	if c.Base != v.cp {
		t.Fatalf("changes base = %d, want %d", c.Base, v.cp)
	}
	for _, m := range c.Merges {
		for id, pid := range v.owner {
			if pid == m.From {
				v.owner[id] = m.Into
			}
		}
		for _, o := range v.orders[m.From] {
			o.ProfileID = m.Into
			v.orders[m.Into] = append(v.orders[m.Into], o)
		}
		delete(v.orders, m.From)
		delete(v.profiles, m.From)
		v.merges = append(v.merges, m)
	}
	for _, p := range c.Profiles {
		v.profiles[p.ID] = p
	}
	for _, l := range c.Identities {
		v.owner[l.Identity] = l.ProfileID
	}
	for _, o := range c.Orders {
		if ok, _ := v.HasOrder(context.Background(), o.ProfileID, o.OrderID); !ok {
			v.orders[o.ProfileID] = append(v.orders[o.ProfileID], o)
		}
	}
	v.cp = c.Checkpoint
}

// now is the processing time of every test batch.
var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// at returns an event time, minutes after a fixed start.
func at(minutes int) time.Time {
	return time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(minutes) * time.Minute)
}

// applier returns an Applier with readable sequential ids and a fixed clock.
func (v *memView) applier() *profile.Applier {
	return &profile.Applier{
		NewID: func() string { v.nextID++; return fmt.Sprintf("p%d", v.nextID) },
		Clock: rapport.ClockFunc(func() time.Time { return now }),
	}
}

// apply runs events through one batch on top of v, commits the changes and
// returns them. Seqs are assigned after the view's checkpoint.
func (v *memView) apply(t *testing.T, events ...*rapport.Event) rapport.Changes {
	t.Helper()
	b := v.applier().NewBatch(v, v.cp)
	for i, ev := range events {
		if ev.Seq == 0 {
			ev.Seq = v.cp + int64(i) + 1
		}
		if ev.MessageID == "" {
			ev.MessageID = fmt.Sprintf("m%d", ev.Seq)
		}
		if err := b.Apply(context.Background(), ev); err != nil {
			t.Fatalf("apply event %d: %v", ev.Seq, err)
		}
	}
	c := b.Changes()
	v.commit(t, c)
	return c
}

// of returns the profile holding the identity, failing the test if none.
func (v *memView) of(t *testing.T, kind rapport.IdentityKind, value string) *rapport.Profile {
	t.Helper()
	pid, ok := v.owner[rapport.Identity{Kind: kind, Value: value}]
	if !ok {
		t.Fatalf("no profile holds %s:%s", kind, value)
	}
	p, ok := v.profiles[pid]
	if !ok {
		t.Fatalf("identity %s:%s points at missing profile %s", kind, value, pid)
	}
	return p
}

func (v *memView) user(t *testing.T, id string) *rapport.Profile {
	t.Helper()
	return v.of(t, rapport.IdentityUserID, id)
}

func (v *memView) anon(t *testing.T, id string) *rapport.Profile {
	t.Helper()
	return v.of(t, rapport.IdentityAnonymousID, id)
}

// persons counts the person profiles.
func (v *memView) persons() int {
	n := 0
	for _, p := range v.profiles {
		if p.Kind == rapport.ProfilePerson {
			n++
		}
	}
	return n
}

// Event builders. Each returns a fresh event; tests set further fields.

func identify(user, anon string, minute int, traits map[string]any) *rapport.Event {
	return &rapport.Event{Type: rapport.EventIdentify, UserID: user, AnonymousID: anon, Traits: traits, Timestamp: at(minute)}
}

func track(user, anon, name string, minute int, props map[string]any) *rapport.Event {
	return &rapport.Event{Type: rapport.EventTrack, UserID: user, AnonymousID: anon, Event: name, Properties: props, Timestamp: at(minute)}
}

func page(anon string, minute int) *rapport.Event {
	return &rapport.Event{Type: rapport.EventPage, AnonymousID: anon, Timestamp: at(minute)}
}

func alias(user, previous string, minute int) *rapport.Event {
	return &rapport.Event{Type: rapport.EventAlias, UserID: user, PreviousID: previous, Timestamp: at(minute)}
}

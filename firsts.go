package rapport

import (
	"slices"
	"strings"
	"time"
)

// MaxFirstOrders bounds the order times Firsts keeps: the earliest ones,
// which say when a customer became a repeat or a loyal one.
const MaxFirstOrders = 16

// Firsts are the earliest event times of what the lifecycle stages rest on:
// when each kind of identity, each event name and each product category
// was first seen, and the earliest orders. Each is a minimum over the
// profile's events, so it is the same whatever order the events arrive in
// and however profiles merge; scoring reads the time a profile reached its
// stage from it. The zero value is empty and ready to use.
//
// Lists of unix milliseconds rather than maps of times: scoring keeps them
// in memory for every profile, and a small Go map costs several times its
// entries, a time.Time three times an int64. Milliseconds are the
// precision of Segment's timestamps.
type Firsts struct {
	// Identities, Events and Categories are sorted by name; an identity's
	// name is its kind.
	Identities []FirstTime `json:"identities,omitempty"`
	Events     []FirstTime `json:"events,omitempty"`
	Categories []FirstTime `json:"categories,omitempty"`
	// Orders holds the times of the earliest MaxFirstOrders orders, in
	// unix milliseconds, sorted.
	Orders []int64 `json:"orders,omitempty"`
	// Partial marks first times kept only since the profile was stored by
	// a version that kept none: its true first times may be earlier.
	Partial bool `json:"partial,omitempty"`
}

// FirstTime is when something named was first seen.
type FirstTime struct {
	Name      string `json:"name"`
	UnixMilli int64  `json:"at"`
}

// IsZero reports whether f holds nothing, so JSON leaves it out.
func (f Firsts) IsZero() bool {
	return len(f.Identities) == 0 && len(f.Events) == 0 && len(f.Categories) == 0 && len(f.Orders) == 0 && !f.Partial
}

// SeeIdentity records an identity of kind k seen at t.
func (f *Firsts) SeeIdentity(k IdentityKind, t time.Time) {
	f.Identities = seeFirst(f.Identities, string(k), t)
}

// SeeEvent records an event named name at t.
func (f *Firsts) SeeEvent(name string, t time.Time) { f.Events = seeFirst(f.Events, name, t) }

// SeeCategory records a purchase in category at t.
func (f *Firsts) SeeCategory(category string, t time.Time) {
	f.Categories = seeFirst(f.Categories, category, t)
}

// SeeOrder records an order at t, keeping the earliest MaxFirstOrders.
func (f *Firsts) SeeOrder(t time.Time) {
	if t.IsZero() {
		return
	}
	ms := t.UnixMilli()
	i, _ := slices.BinarySearch(f.Orders, ms)
	if i >= MaxFirstOrders {
		return
	}
	f.Orders = slices.Insert(f.Orders, i, ms)
	if len(f.Orders) > MaxFirstOrders {
		f.Orders = f.Orders[:MaxFirstOrders]
	}
}

// Identity returns when an identity of kind k was first seen.
func (f *Firsts) Identity(k IdentityKind) (time.Time, bool) {
	return findFirst(f.Identities, string(k))
}

// Event returns when an event named name was first seen.
func (f *Firsts) Event(name string) (time.Time, bool) { return findFirst(f.Events, name) }

// Merge adds other's times into f, as when two profiles of one person
// merge.
func (f *Firsts) Merge(other *Firsts) {
	f.Partial = f.Partial || other.Partial
	for _, x := range other.Identities {
		f.Identities = seeFirstMilli(f.Identities, x.Name, x.UnixMilli)
	}
	for _, x := range other.Events {
		f.Events = seeFirstMilli(f.Events, x.Name, x.UnixMilli)
	}
	for _, x := range other.Categories {
		f.Categories = seeFirstMilli(f.Categories, x.Name, x.UnixMilli)
	}
	for _, ms := range other.Orders {
		f.SeeOrder(time.UnixMilli(ms))
	}
}

// Clone returns a deep copy: profiles in the processor's cache are never
// changed in place.
func (f Firsts) Clone() Firsts {
	return Firsts{Identities: slices.Clone(f.Identities), Events: slices.Clone(f.Events),
		Categories: slices.Clone(f.Categories), Orders: slices.Clone(f.Orders), Partial: f.Partial}
}

// seeFirst records name at t in list, sorted by name, keeping the earlier
// time.
func seeFirst(list []FirstTime, name string, t time.Time) []FirstTime {
	if t.IsZero() {
		return list
	}
	return seeFirstMilli(list, name, t.UnixMilli())
}

func seeFirstMilli(list []FirstTime, name string, ms int64) []FirstTime {
	i, found := slices.BinarySearchFunc(list, name, byName)
	if found {
		list[i].UnixMilli = min(list[i].UnixMilli, ms)
		return list
	}
	return slices.Insert(list, i, FirstTime{Name: name, UnixMilli: ms})
}

func findFirst(list []FirstTime, name string) (time.Time, bool) {
	i, found := slices.BinarySearchFunc(list, name, byName)
	if !found {
		return time.Time{}, false
	}
	return time.UnixMilli(list[i].UnixMilli).UTC(), true
}

func byName(x FirstTime, name string) int { return strings.Compare(x.Name, name) }

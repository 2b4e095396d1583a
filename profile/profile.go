// Package profile applies events to profiles: identity resolution, merges,
// traits merged by event time, groups, aggregates and the order ledger.
//
// It is pure logic. What it needs to know about existing state comes
// through a View (the processor backs it with a cache in front of the
// store); what it decided goes out as rapport.Changes, which a store writes
// in one transaction. Nothing here does I/O of its own.
//
// Apply never fails because of what an event contains: properties and
// traits are arbitrary JSON, and every shape is read defensively. The only
// errors it returns come from the View.
package profile

import (
	"context"

	"github.com/rapportdev/rapport"
)

// View is what applying needs to know about state that existed before the
// batch. Implementations return state as of the batch's base checkpoint;
// the Batch never modifies what they return.
type View interface {
	// ProfileIDByIdentity returns the id of the profile holding id, and
	// false when no profile holds it.
	ProfileIDByIdentity(ctx context.Context, id rapport.Identity) (string, bool, error)
	// Profile returns the profile, and false when it does not exist.
	Profile(ctx context.Context, id string) (*rapport.Profile, bool, error)
	// HasOrder reports whether the profile's ledger already holds the order.
	HasOrder(ctx context.Context, profileID, orderID string) (bool, error)
	// Product returns the catalogue's product that key (a product id or
	// SKU) finds, as rapport.ProductStore.FindProducts does, and false
	// when the catalogue has none.
	Product(ctx context.Context, key string) (rapport.ProductInfo, bool, error)
}

// Applier holds what every batch shares: how to make ids and tell the time.
// The zero value is ready to use.
type Applier struct {
	// NewID returns a fresh profile id. Nil means rapport.NewID("p_").
	NewID func() string
	// Clock gives the processing time stamped on UpdatedAt and CreatedAt.
	// Nil means rapport.SystemClock.
	Clock rapport.Clock
}

// NewBatch starts a run of events applied on top of view, whose state is
// the one at checkpoint base.
func (a *Applier) NewBatch(view View, base int64) *Batch {
	newID := a.NewID
	if newID == nil {
		newID = func() string { return rapport.NewID("p_") }
	}
	var clock rapport.Clock = rapport.SystemClock{}
	if a.Clock != nil {
		clock = a.Clock
	}
	return newBatch(view, base, newID, clock)
}

package rapport

import "context"

// EventLog is the durable, ordered log of accepted events. Implementations:
// sqlite.Store and postgres.Store.
type EventLog interface {
	// AppendEvents durably stores the events whose MessageID is not in the
	// log yet, assigning each a Seq, and skips the others (a retried
	// message is kept once). When it returns nil every event of the slice
	// is on disk, newly or from before. It returns how many were new.
	AppendEvents(ctx context.Context, events []Event) (appended int, err error)
	// ReadEvents returns up to limit events with Seq greater than after,
	// in Seq order.
	ReadEvents(ctx context.Context, after int64, limit int) ([]Event, error)
}

// Changes is what applying a run of events did to profile state. A store
// applies it in one transaction, together with the new checkpoint, so a
// crash never applies an event twice or half.
type Changes struct {
	// Merges are applied first and in order: the From profile's
	// identities and orders move to Into, and From is deleted.
	Merges []Merge
	// Profiles are written whole (insert or replace).
	Profiles []*Profile
	// Identities point identities at profiles (insert or re-point).
	Identities []IdentityLink
	// Orders are added to the ledger; an order already present (same
	// profile and order id) is left as it is.
	Orders []Order
	// Base is the checkpoint the changes were computed from. The store
	// refuses them with ECONFLICT when its checkpoint has moved since, so
	// two processors can never apply the same events twice.
	Base int64
	// Checkpoint is the Seq of the last event these changes cover.
	Checkpoint int64
}

// IdentityLink says which profile holds an identity.
type IdentityLink struct {
	Identity  Identity
	ProfileID string
}

// ProfileStore keeps profile state and answers queries about it.
type ProfileStore interface {
	// ApplyChanges writes changes and the checkpoint atomically. It
	// returns ECONFLICT, writing nothing, when the stored checkpoint is not
	// changes.Base.
	ApplyChanges(ctx context.Context, changes Changes) error
	// Checkpoint returns the Seq of the last applied event, 0 when none.
	Checkpoint(ctx context.Context) (int64, error)

	// FindProfileByID returns the profile or an ENOTFOUND error.
	FindProfileByID(ctx context.Context, id string) (*Profile, error)
	// FindProfileIDByIdentity returns the id of the profile holding the
	// identity, or an ENOTFOUND error.
	FindProfileIDByIdentity(ctx context.Context, id Identity) (string, error)
	// FindProfiles returns a page of profiles ordered by id, and the
	// number of profiles matching the filter.
	FindProfiles(ctx context.Context, filter ProfileFilter) ([]*Profile, int, error)
	// FindEvents returns a page of the profile's events, newest (by event
	// time) first: the events sent with any of its userId or anonymousId
	// identities.
	FindEvents(ctx context.Context, filter EventFilter) ([]Event, error)
	// FindOrders returns the profile's order ledger, oldest first.
	FindOrders(ctx context.Context, profileID string) ([]Order, error)
	// FindMerges returns the merges into or out of the profile, oldest first.
	FindMerges(ctx context.Context, profileID string) ([]Merge, error)
	// DeleteProfile erases a person: profile, identities, events, orders
	// and merge records. It returns ENOTFOUND for an unknown profile.
	DeleteProfile(ctx context.Context, id string) (*Erasure, error)
}

// KeyStore keeps write keys and admin tokens, hashed.
type KeyStore interface {
	// CreateKey stores k; ECONFLICT when a key with the same hash exists.
	CreateKey(ctx context.Context, k *Key) error
	// FindKeys returns every key.
	FindKeys(ctx context.Context) ([]*Key, error)
	// DeleteKey revokes a key; ENOTFOUND when unknown.
	DeleteKey(ctx context.Context, id string) error
}

// Store is everything a storage backend provides. sqlite.Store and
// postgres.Store implement it and pass the same conformance suite
// (storetest).
type Store interface {
	EventLog
	ProfileStore
	KeyStore
	// Close releases the store's resources.
	Close() error
}

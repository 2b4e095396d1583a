package rapport

import "context"

// EventLog is the durable, ordered log of accepted events: ingest appends
// to it and acknowledges the client; the processor reads it and applies
// each event to profile state. Implementations: sqlite.Log (an embedded
// database file of its own, so ingest never waits for the processor's
// writes) and postgres.Log.
type EventLog interface {
	// Append durably stores events in order and sets each one's Seq.
	// When it returns nil every event is on disk. It does not deduplicate:
	// a retried message may be in the log twice, and the processor applies
	// each messageId once.
	Append(ctx context.Context, events []Event) error
	// Read returns up to limit events with Seq greater than after, in Seq
	// order. Seqs only grow: an event appended later never has a smaller
	// Seq than one a reader has already seen.
	Read(ctx context.Context, after int64, limit int) ([]Event, error)
	// Trim removes the events with Seq up to and including upTo, once they
	// are applied and stored; Seqs are never reused.
	Trim(ctx context.Context, upTo int64) error
	// Close releases the log's resources.
	Close() error
}

// EventStore keeps the applied events, one per messageId, for timelines,
// export and erasure.
type EventStore interface {
	// ReadEvents returns up to limit stored events with Seq greater than
	// after, in Seq order.
	ReadEvents(ctx context.Context, after int64, limit int) ([]Event, error)
	// FindMessageIDs returns which of the given messageIds are stored.
	FindMessageIDs(ctx context.Context, messageIDs []string) (map[string]bool, error)
	// FindEvents returns a page of the profile's events, newest (by event
	// time) first: the events sent with any of its userId or anonymousId
	// identities.
	FindEvents(ctx context.Context, filter EventFilter) ([]Event, error)
}

// Changes is what applying a run of events did to profile state. A store
// applies it in one transaction, together with the new checkpoint, so a
// crash never applies an event twice or half.
type Changes struct {
	// Events are the events these changes apply, stored with them; an
	// event whose messageId is already stored is skipped.
	Events []Event
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
	// Notifications are queued for the webhooks subscribed to their
	// types, in the same transaction: a notification is sent if and only
	// if the changes that caused it are committed.
	Notifications []Notification
	// Scores are written whole (insert or replace), after the merges: a
	// merge deletes the From profile's score.
	Scores []ScoreRecord
	// Memberships are profiles entering and leaving segments, written
	// after the merges and profiles, each that takes effect notified as
	// SegmentStore.ApplyMemberships does.
	Memberships []MembershipChange
	// Base is the checkpoint the changes were computed from. The store
	// refuses them with ECONFLICT when its checkpoint has moved since, so
	// two processors can never apply the same events twice.
	Base int64
	// Checkpoint is the log Seq of the last event these changes cover.
	Checkpoint int64
}

// IdentityLink says which profile holds an identity.
type IdentityLink struct {
	Identity  Identity
	ProfileID string
}

// ProfileStore keeps profile state and answers queries about it.
type ProfileStore interface {
	// ApplyChanges writes changes and the checkpoint atomically, with a
	// pending delivery per notification and subscribed active webhook. It
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
	// FindProfileIDsByIdentities returns the owner of each given identity
	// that some profile holds; identities held by none are absent from the
	// map. It lets the processor resolve a whole batch in one query.
	FindProfileIDsByIdentities(ctx context.Context, ids []Identity) (map[Identity]string, error)
	// FindProfiles returns a page of profiles ordered by id, and the
	// number of profiles matching the filter.
	FindProfiles(ctx context.Context, filter ProfileFilter) ([]*Profile, int, error)
	// FindOrders returns the profile's order ledger, oldest first.
	FindOrders(ctx context.Context, profileID string) ([]Order, error)
	// FindMerges returns the merges into or out of the profile, oldest first.
	FindMerges(ctx context.Context, profileID string) ([]Merge, error)
	// DeleteProfile erases a person: profile, identities, stored events,
	// orders, merge records and score. It returns ENOTFOUND for an unknown
	// profile.
	DeleteProfile(ctx context.Context, id string) (*Erasure, error)

	// FindScore returns the profile's score, or ENOTFOUND when it has none.
	FindScore(ctx context.Context, profileID string) (*ScoreRecord, error)
	// FindScores returns the scores of the given profiles that have one,
	// by profile id: the processor reads a batch's scores in one query.
	FindScores(ctx context.Context, profileIDs []string) (map[string]*ScoreRecord, error)
	// FindLeads returns a page of the scores matching filter, ordered by
	// priority (highest first) then profile id, and how many match in all.
	FindLeads(ctx context.Context, filter LeadFilter) ([]ScoreRecord, int, error)

	// ScanProfiles returns up to limit profiles with ids greater than
	// after, ordered by id: a rescoring pass walks every profile with it
	// without the cost of offset paging.
	ScanProfiles(ctx context.Context, after string, limit int) ([]*Profile, error)
	// UpdateScores writes each update whose Prev still matches the stored
	// score (see ScoreUpdate), skipping profiles that no longer exist, with
	// the notifications of those written, atomically, and returns how many
	// it wrote.
	UpdateScores(ctx context.Context, updates []ScoreUpdate) (int, error)
}

// ModelStore keeps every version of the models Rapport runs.
type ModelStore interface {
	// PutModel stores m as the next version of m.Kind (ignoring
	// m.Version and m.CreatedAt) and returns it as stored.
	PutModel(ctx context.Context, m ModelVersion) (ModelVersion, error)
	// CurrentModel returns the newest version of kind, or ENOTFOUND.
	CurrentModel(ctx context.Context, kind string) (*ModelVersion, error)
	// ListModels returns the versions of kind, newest first, with their
	// bodies.
	ListModels(ctx context.Context, kind string) ([]ModelVersion, error)
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
	EventStore
	ProfileStore
	KeyStore
	UserStore
	WebhookStore
	ModelStore
	SegmentStore
	ProductStore
	LeadStore
	OfferStore
	// Close releases the store's resources.
	Close() error
}

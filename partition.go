package rapport

import (
	"context"
	"hash/fnv"
)

// PartitionOf returns the partition of n a routing key belongs to: 64-bit
// FNV-1a of the key, mixed by MurmurHash3's finalizer (FNV's low bits
// depend only on the keys' low bits, so keys that differ in a prefix would
// always land the same distance apart), modulo n. Ingest routes an event
// by the key of the profile it belongs to (its userId, else its
// anonymousId) when no stored profile holds its identities yet.
func PartitionOf(key string, n int) int {
	if n <= 1 {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(key))
	x := h.Sum64()
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return int(x % uint64(n))
}

// RoutingKey returns the key an event is partitioned by when no stored
// profile holds its identities: its userId, else its anonymousId.
func RoutingKey(ev *Event) string {
	if ev.UserID != "" {
		return "u:" + ev.UserID
	}
	return "a:" + ev.AnonymousID
}

// Forward is an event a partition passes to another, because the profiles
// it belongs to are owned there (see docs/scaling.md).
type Forward struct {
	// Seq is the event's seq in the partition that forwards it.
	Seq int64
	// To is the partition it goes to.
	To int
	// Event is the event as read.
	Event Event
}

// Handoff moves a profile's ownership to another partition.
type Handoff struct {
	ProfileID string
	To        int
}

// PartitionChanges are the changes of a batch of one partition of a
// partitioned log, with what fences them. The store applies them as it
// applies Changes, in one transaction, and refuses them when:
//   - the lease is not (Owner, Epoch) any more or has expired, or the
//     partition's checkpoint is not Base (an error that is not ECONFLICT:
//     the processor must stop);
//   - a profile written or merged belongs to another partition, an
//     identity in Prev is no longer held as the batch read it, or an
//     event's messageId is stored already (ECONFLICT: the batch is built
//     again from fresh state).
type PartitionChanges struct {
	Changes
	Partition int
	Owner     string
	Epoch     int64
	// Prev holds, for identities the batch links, the owner it read
	// ("" when none held it).
	Prev map[Identity]string
	// Handoffs move profiles of this partition to others, after the
	// changes are written.
	Handoffs []Handoff
	// Forwards are stored with the checkpoint that passes them and
	// published after the commit.
	Forwards []Forward
}

// PartitionStore is what a worker applying one partition needs of the
// store beyond Store: per-partition checkpoints, profile ownership, fenced
// writes and the forwards not yet published.
type PartitionStore interface {
	// PartitionCheckpoint returns the seq of the partition's last applied
	// event, 0 when none.
	PartitionCheckpoint(ctx context.Context, partition int) (int64, error)
	// FindProfilePartitions returns the partition owning each given
	// profile that has one recorded.
	FindProfilePartitions(ctx context.Context, profileIDs []string) (map[string]int, error)
	// ApplyPartitionChanges writes changes as described at PartitionChanges.
	ApplyPartitionChanges(ctx context.Context, changes PartitionChanges) error
	// FindForwards returns the partition's forwards not yet marked
	// published, in seq order.
	FindForwards(ctx context.Context, partition int) ([]Forward, error)
	// DeleteForwards marks the partition's forwards up to seq published.
	DeleteForwards(ctx context.Context, partition int, upTo int64) error
}

// PartitionLease is a partition's ownership record: the worker holding it,
// the epoch (fencing token) of its holding, and whether it still runs.
type PartitionLease struct {
	Partition int
	Owner     string
	Epoch     int64
	Live      bool
}

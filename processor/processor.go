// Package processor applies the event log to profile state. It reads
// events after the stored checkpoint, applies them in batches through the
// pure profile package, and writes each batch's Changes to the store in one
// transaction with the new checkpoint, so an event is applied exactly once
// even across crashes and when two processors share a store.
//
// In front of the store it keeps the hot state (profiles and which profile
// holds each identity) in memory, updated from each batch the store has
// accepted. The store stays the truth: the cache may be dropped at any time.
package processor

import (
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/profile"
)

// Defaults for Options left zero.
const (
	DefaultBatchSize    = 1000
	DefaultPollInterval = 200 * time.Millisecond
	DefaultCacheSize    = 1_000_000
)

// Options tune a Processor. The zero value is usable.
type Options struct {
	// Clock stamps UpdatedAt and CreatedAt. Nil means the system clock.
	Clock rapport.Clock
	// Logger receives errors, conflicts and skipped events. Nil means
	// slog.Default().
	Logger *slog.Logger
	// BatchSize is how many events one transaction covers.
	BatchSize int
	// PollInterval is how long Run sleeps when the log is drained and no
	// Notify comes.
	PollInterval time.Duration
	// CacheSize bounds the profiles held in memory; past it the cache is
	// dropped and refilled from the store as events need it.
	CacheSize int
	// NewID makes profile ids. Nil means rapport.NewID("p_").
	NewID func() string
	// OnApplied, when set, is called after the store accepted a batch,
	// with what it changed: the hook for state kept current per event
	// (scores, segment membership, triggers). It runs before the next batch
	// and must not modify the changes.
	OnApplied func(rapport.Changes)
}

// Processor applies the event log to profile state. Its methods are safe
// for concurrent use; batches are applied one at a time.
type Processor struct {
	store   rapport.Store
	applier profile.Applier
	log     *slog.Logger
	opts    Options
	wake    chan struct{}

	// mu serialises batches and guards the fields below it.
	mu      sync.Mutex
	cache   *cache
	started bool
	// poison holds the seqs of events given up on, until the checkpoint
	// passes them.
	poison map[int64]bool

	applied atomic.Int64
	skipped atomic.Int64
}

// New returns a processor that applies store's log to store's profiles.
func New(store rapport.Store, opts Options) *Processor {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = DefaultPollInterval
	}
	if opts.CacheSize <= 0 {
		opts.CacheSize = DefaultCacheSize
	}
	return &Processor{
		store:   store,
		applier: profile.Applier{NewID: opts.NewID, Clock: opts.Clock},
		log:     opts.Logger,
		opts:    opts,
		wake:    make(chan struct{}, 1),
		cache:   newCache(opts.CacheSize),
		poison:  map[int64]bool{},
	}
}

// Notify wakes Run up to read the log now, without blocking: call it after
// appending events.
func (p *Processor) Notify() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Applied returns the seq of the last event applied, as far as this
// processor knows: compare it with the log's head for the lag.
func (p *Processor) Applied() int64 { return p.applied.Load() }

// Skipped returns how many events were given up on because applying them
// failed by their own fault (see Run).
func (p *Processor) Skipped() int64 { return p.skipped.Load() }

// Invalidate drops the in-memory state. Call it after changing profile
// state behind the processor's back, such as erasing a person, so no
// cached copy outlives the store's.
func (p *Processor) Invalidate() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cache.reset()
}

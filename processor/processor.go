// Package processor applies the event log to profile state. It reads
// events after the stored checkpoint from the log, drops the ones whose
// messageId the store already holds (the log keeps a retried message
// twice), applies the rest in batches through the pure profile package,
// and writes each batch's Changes, its events included, to the store in
// one transaction with the new checkpoint. So each messageId is applied
// exactly once, even across crashes, client retries and two processors
// sharing a store. Behind the checkpoint it trims the log: the store keeps
// the events applied.
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
	DefaultMaxBatchSize = 10_000
	DefaultPollInterval = 200 * time.Millisecond
	DefaultLinger       = 25 * time.Millisecond
	// DefaultCacheSize holds about 600 MB of profiles (measured: about
	// 2.4 GiB per million; docs/benchmarks.md).
	DefaultCacheSize    = 250_000
	DefaultTrimInterval = 30 * time.Second
)

// Options tune a Processor. The zero value is usable.
type Options struct {
	// Clock stamps UpdatedAt and CreatedAt. Nil means the system clock.
	Clock rapport.Clock
	// Logger receives errors, conflicts and skipped events. Nil means
	// slog.Default().
	Logger *slog.Logger
	// BatchSize is how many events one transaction covers when the
	// processor keeps up with the log.
	BatchSize int
	// MaxBatchSize bounds the batches of a processor behind the log: each
	// read that fills its batch doubles the next one, up to this size, since
	// a profile touched many times in one batch is written once. Zero means
	// DefaultMaxBatchSize; a value below BatchSize means BatchSize.
	MaxBatchSize int
	// PollInterval is how long Run sleeps when the log is drained and no
	// Notify comes.
	PollInterval time.Duration
	// Linger is how long Run lets events gather after catching up before
	// it applies the next batch: profiles lag the log by about this much,
	// and the store commits at most about 1/Linger times a second under a
	// trickle. Zero means DefaultLinger; a negative value never lingers.
	Linger time.Duration
	// CacheSize bounds the profiles held in memory; past it the cache is
	// dropped and refilled from the store as events need it.
	CacheSize int
	// TrimInterval is the least time between two trims of the log, since
	// a trim takes the log's write lock, which ingest needs. Zero means
	// DefaultTrimInterval; a negative value never trims.
	TrimInterval time.Duration
	// Retain is how many applied events (by Seq) a trim leaves in the log,
	// behind the checkpoint. Zero trims everything applied: the store keeps
	// those events.
	Retain int64
	// NewID makes profile ids. Nil means rapport.NewID("p_").
	NewID func() string
	// OnApplied, when set, is called after the store accepted a batch,
	// with what it changed: the hook for state kept current per event
	// (scores, segment membership, triggers). It runs before the next batch
	// and must not modify the changes.
	OnApplied func(rapport.Changes)
	// Scorer, when set, scores each event's profile right after the event
	// applies; the batch's final scores and the notifications of the rules
	// that fired are written with its changes. Nil means no scoring.
	Scorer Scorer
	// Segmenter, when set, keeps rule segments current: after each batch,
	// the profiles it touched enter and leave segments in the same
	// transaction. Nil means no segments.
	Segmenter Segmenter
	// Partition, when set, applies one partition of a partitioned log:
	// the checkpoint is the partition's, writes are fenced by its lease,
	// and events whose profiles belong to other partitions are forwarded
	// (see Partition). Nil applies the whole log.
	Partition *Partition
}

// Processor applies the event log to profile state. Its methods are safe
// for concurrent use; batches are applied one at a time.
type Processor struct {
	// events is the log read from; log is the logger.
	events  rapport.EventLog
	store   rapport.Store
	applier profile.Applier
	log     *slog.Logger
	opts    Options
	wake    chan struct{}

	// mu serialises batches and guards the fields below it.
	mu      sync.Mutex
	cache   *cache
	started bool
	// limit is the size of the next read: BatchSize, growing towards
	// MaxBatchSize while reads come back full.
	limit int
	// poison holds the seqs of events given up on, until the checkpoint
	// passes them.
	poison map[int64]bool
	// trimmed is the Seq the log was last trimmed up to, at lastTrim.
	trimmed  int64
	lastTrim time.Time

	applied    atomic.Int64
	skipped    atomic.Int64
	duplicates atomic.Int64
}

// New returns a processor that applies the events of log to store's
// profiles, and stores them there.
func New(log rapport.EventLog, store rapport.Store, opts Options) *Processor {
	opts = withDefaults(opts)
	return &Processor{
		events:  log,
		store:   store,
		applier: profile.Applier{NewID: opts.NewID, Clock: opts.Clock},
		log:     opts.Logger,
		opts:    opts,
		wake:    make(chan struct{}, 1),
		cache:   newCache(opts.CacheSize),
		limit:   opts.BatchSize,
		poison:  map[int64]bool{},
	}
}

// withDefaults fills in the options left zero.
func withDefaults(opts Options) Options {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Clock == nil {
		opts.Clock = rapport.SystemClock{}
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	if opts.MaxBatchSize == 0 {
		opts.MaxBatchSize = DefaultMaxBatchSize
	}
	opts.MaxBatchSize = max(opts.MaxBatchSize, opts.BatchSize)
	if opts.PollInterval <= 0 {
		opts.PollInterval = DefaultPollInterval
	}
	if opts.Linger == 0 {
		opts.Linger = DefaultLinger
	}
	if opts.CacheSize <= 0 {
		opts.CacheSize = DefaultCacheSize
	}
	if opts.TrimInterval == 0 {
		opts.TrimInterval = DefaultTrimInterval
	}
	opts.Retain = max(opts.Retain, 0)
	return opts
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

// Duplicates returns how many events were passed over because their
// messageId was applied before: client retries the log kept twice.
func (p *Processor) Duplicates() int64 { return p.duplicates.Load() }

// Invalidate drops the in-memory state. Call it after changing profile
// state behind the processor's back, such as erasing a person: the store's
// checkpoint does not move then, so nothing else tells the processor its
// cached copy is gone.
func (p *Processor) Invalidate() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cache.reset()
}

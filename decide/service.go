package decide

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/offer"
)

// Store is what the service reads and writes.
type Store interface {
	rapport.OfferStore
	FindProfileByID(ctx context.Context, id string) (*rapport.Profile, error)
	FindProfileIDByIdentity(ctx context.Context, id rapport.Identity) (string, error)
	FindScore(ctx context.Context, profileID string) (*rapport.ScoreRecord, error)
	FindMemberships(ctx context.Context, profileIDs []string) (map[string][]string, error)
	EnqueueNotifications(ctx context.Context, notifications []rapport.Notification) error
	// FindMerges follows a person merged into another to the survivor.
	FindMerges(ctx context.Context, profileID string) ([]rapport.Merge, error)
}

// Defaults of Config's zero fields.
const (
	DefaultSweepEvery    = 30 * time.Second
	DefaultTriggerMaxAge = 10 * time.Minute
	DefaultFlushEvery    = 10 * time.Millisecond
	DefaultCacheTTL      = 5 * time.Minute
	DefaultTrimEvery     = time.Hour
)

// Config sets up a Service. Store is required.
type Config struct {
	Store  Store
	Policy offer.Policy
	Clock  rapport.Clock
	Logger *slog.Logger
	// Seed makes the engine's draws reproducible; 0 means random.
	Seed uint64
	// Offers and Triggers are declared in rapport.yaml: Load puts them in
	// the store (replacing those with their ids) before reading it.
	Offers   []*rapport.Offer
	Triggers []*rapport.Trigger
	// Sweep says this process records ignores (one process per store
	// should: the role all process).
	Sweep bool
	// SweepEvery is how often shown offers past their window are looked
	// for; zero means DefaultSweepEvery.
	SweepEvery time.Duration
	// RefreshEvery, when positive, reloads the counts behind the
	// posteriors from the store that often, so outcomes recorded through
	// another process are learned.
	RefreshEvery time.Duration
	// TriggerMaxAge is how old an event may be and still fire a trigger
	// (an import of last year's events must not); zero means
	// DefaultTriggerMaxAge.
	TriggerMaxAge time.Duration
	// OnNotify is called after a trigger queued notifications (the
	// webhook dispatcher's Notify).
	OnNotify func()
	// CachePeople, when positive, keeps up to that many people's profiles,
	// scores, segments and recent outcomes in memory between decisions.
	// Only for the process that applies events, whose OnApplied and
	// Forget keep the cache true.
	CachePeople int
	// CacheTTL is how long a cached person is used before being read
	// again; zero means DefaultCacheTTL.
	CacheTTL time.Duration
	// Retention is how long decisions and outcomes are kept whole; older
	// ones are rolled up into daily counts (Trim) by the process that
	// sweeps, at start and every TrimEvery. Zero keeps everything.
	Retention time.Duration
	// TrimEvery is how often the trim runs; zero means DefaultTrimEvery.
	TrimEvery time.Duration
}

// Service answers decisions and learns from outcomes. Its methods are
// safe for concurrent use.
type Service struct {
	cfg    Config
	engine *offer.Engine
	log    *slog.Logger

	// loading serialises catalog reloads.
	loading sync.Mutex
	rec     recorder
	recent  recentDecisions
	// people is nil when the cache is off.
	people *people
	jobs   chan triggerJob

	droppedJobs atomic.Int64
	fired       atomic.Int64
}

// New returns a service; call Load before use and run Run in the
// background.
func New(cfg Config) (*Service, error) {
	if err := cfg.Policy.Validate(); err != nil {
		return nil, err
	}
	if cfg.Clock == nil {
		cfg.Clock = rapport.SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.SweepEvery <= 0 {
		cfg.SweepEvery = DefaultSweepEvery
	}
	if cfg.TriggerMaxAge <= 0 {
		cfg.TriggerMaxAge = DefaultTriggerMaxAge
	}
	if cfg.TrimEvery <= 0 {
		cfg.TrimEvery = DefaultTrimEvery
	}
	seed := cfg.Seed
	if seed == 0 {
		var b [8]byte
		_, _ = rand.Read(b[:])
		seed = binary.LittleEndian.Uint64(b[:])
	}
	s := &Service{cfg: cfg, engine: offer.NewEngine(cfg.Policy, seed), log: cfg.Logger,
		jobs: make(chan triggerJob, 1024)}
	s.rec.store = cfg.Store
	s.recent.init(100_000)
	if cfg.CachePeople > 0 {
		if cfg.CacheTTL <= 0 {
			cfg.CacheTTL = DefaultCacheTTL
		}
		s.people = newPeople(cfg.CachePeople, cfg.CacheTTL)
	}
	return s, nil
}

// Engine returns the decision engine, for measurements.
func (s *Service) Engine() *offer.Engine { return s.engine }

// Load puts the declared offers and triggers in the store, compiles the
// store's catalog and puts it in use, and reads the counts behind the
// posteriors.
func (s *Service) Load(ctx context.Context) error {
	if err := s.declare(ctx); err != nil {
		return err
	}
	if err := s.reload(ctx); err != nil {
		return err
	}
	return s.refresh(ctx)
}

// declare puts rapport.yaml's offers and triggers in the store, each
// keeping the creation time of the one it replaces, and leaves those that
// did not change alone.
func (s *Service) declare(ctx context.Context) error {
	now := s.cfg.Clock.Now()
	stored := map[string]*rapport.Offer{}
	if len(s.cfg.Offers) > 0 {
		offers, err := s.cfg.Store.FindOffers(ctx)
		if err != nil {
			return fmt.Errorf("read offers: %w", err)
		}
		for _, o := range offers {
			stored[o.ID] = o
		}
	}
	for _, decl := range s.cfg.Offers {
		o := *decl
		o.CreatedAt, o.UpdatedAt = now, now
		if old := stored[o.ID]; old != nil {
			o.CreatedAt, o.UpdatedAt = old.CreatedAt, old.UpdatedAt
			// Compared as stored: a payload read from YAML holds ints
			// where the stored one holds float64s.
			a, _ := json.Marshal(&o)
			b, _ := json.Marshal(old)
			if bytes.Equal(a, b) {
				continue
			}
			o.UpdatedAt = now
		}
		if err := s.cfg.Store.PutOffer(ctx, &o); err != nil {
			return fmt.Errorf("offer %s of rapport.yaml: %w", o.ID, err)
		}
	}
	for _, decl := range s.cfg.Triggers {
		t := *decl
		t.CreatedAt, t.UpdatedAt = now, now
		if err := s.cfg.Store.PutTrigger(ctx, &t); err != nil {
			return fmt.Errorf("trigger %s of rapport.yaml: %w", t.ID, err)
		}
	}
	return nil
}

// refresh replaces the learner's counts with the store's.
func (s *Service) refresh(ctx context.Context) error {
	stats, err := s.cfg.Store.FindOfferStats(ctx, time.Time{})
	if err != nil {
		return fmt.Errorf("read offer stats: %w", err)
	}
	s.engine.Learner().Reset(stats)
	return nil
}

// reload compiles the stored offers and triggers and puts them in use. A
// stored one that no longer compiles (the language changed in an upgrade)
// is left out and logged.
func (s *Service) reload(ctx context.Context) error {
	s.loading.Lock()
	defer s.loading.Unlock()
	defs, err := s.cfg.Store.FindOffers(ctx)
	if err != nil {
		return fmt.Errorf("read offers: %w", err)
	}
	tdefs, err := s.cfg.Store.FindTriggers(ctx)
	if err != nil {
		return fmt.Errorf("read triggers: %w", err)
	}
	var offers []*offer.Offer
	for _, d := range defs {
		o, err := offer.CompileOffer(d)
		if err != nil {
			s.log.Error("offer left out: it does not compile", "offer", d.ID, "err", err)
			continue
		}
		offers = append(offers, o)
	}
	var triggers []*offer.Trigger
	for _, d := range tdefs {
		t, err := offer.CompileTrigger(d)
		if err != nil {
			s.log.Error("trigger left out: it does not compile", "trigger", d.ID, "err", err)
			continue
		}
		triggers = append(triggers, t)
	}
	c, err := offer.NewCatalog(offers, triggers)
	if err != nil {
		return err
	}
	s.engine.SetCatalog(c)
	return nil
}

// Run records decisions, sweeps ignores, fires triggers and refreshes
// counts until ctx ends, then writes the decisions still queued.
func (s *Service) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	wg.Go(func() { s.rec.run(ctx, s.log) })
	wg.Go(func() { s.runTriggers(ctx) })
	if s.cfg.Sweep {
		wg.Go(func() { _ = s.RunUpkeep(ctx) })
	}
	if s.cfg.RefreshEvery > 0 {
		wg.Go(func() { s.every(ctx, s.cfg.RefreshEvery, "refresh", s.refresh) })
	}
	wg.Wait()
	return ctx.Err()
}

// RunUpkeep records the ignores (every SweepEvery) and trims what is past
// the retention (at once and every TrimEvery) until ctx ends. Run does it
// when Config.Sweep is set; where several processes share a store and
// one of them holds the upkeep (the partitioned deployment's background
// lease), that one calls RunUpkeep instead.
func (s *Service) RunUpkeep(ctx context.Context) error {
	var wg sync.WaitGroup
	wg.Go(func() { s.every(ctx, s.cfg.SweepEvery, "sweep", s.Sweep) })
	if s.cfg.Retention > 0 {
		wg.Go(func() {
			if err := s.Trim(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("offers: trim failed", "err", err)
			}
			s.every(ctx, s.cfg.TrimEvery, "trim", s.Trim)
		})
	}
	wg.Wait()
	return ctx.Err()
}

// every runs fn at each interval until ctx ends, logging its errors: a
// failed pass is tried again at the next tick.
func (s *Service) every(ctx context.Context, interval time.Duration, name string, fn func(context.Context) error) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := fn(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("offers: "+name+" failed", "err", err)
			}
		}
	}
}

// Forget drops what the service holds in memory about a person and
// writes the decisions queued so far: call it before an erasure (so the
// erasure finds every decision about the person in the store) and after
// it (so nothing read in between stays cached).
func (s *Service) Forget(ctx context.Context, profileID string) error {
	if s.people != nil {
		s.people.forget([]string{profileID}, nil)
	}
	return s.rec.flush(ctx)
}

// Flush writes the decisions queued so far.
func (s *Service) Flush(ctx context.Context) error { return s.rec.flush(ctx) }

// Fired returns how many trigger decisions went to the outbox, and how
// many applied batches were passed over because the trigger queue was
// full.
func (s *Service) Fired() (fired, dropped int64) { return s.fired.Load(), s.droppedJobs.Load() }

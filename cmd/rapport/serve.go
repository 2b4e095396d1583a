package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/dashboard"
	"github.com/rapportdev/rapport/demo"
	rhttp "github.com/rapportdev/rapport/http"
	"github.com/rapportdev/rapport/ingest"
	"github.com/rapportdev/rapport/membership"
	"github.com/rapportdev/rapport/postgres"
	"github.com/rapportdev/rapport/processor"
	"github.com/rapportdev/rapport/rescore"
	"github.com/rapportdev/rapport/scoring"
	"github.com/rapportdev/rapport/webhook"
)

// serveConfig holds the flags of `rapport serve`.
type serveConfig struct {
	store     storeFlags
	addr      string
	demo      bool
	logFormat string
	logLevel  string
	drain     time.Duration
	limits    rhttp.Limits
	role      string
	cache     int
	leaseTTL  time.Duration
	scoring   scoringFlags
	// decl is what rapport.yaml and the scoring flags declare.
	decl *declaration
}

// Roles of a serve process.
const (
	// roleAll takes events and applies them to profiles.
	roleAll = "all"
	// roleIngest takes events into the log and serves the admin API; a
	// process of role all on the same store applies them.
	roleIngest = "ingest"
	// roleWorker applies the partitions of a partitioned log it holds
	// leases on (and takes events too); --postgres and --nats required.
	roleWorker = "worker"
)

func parseServe(args []string, stderr io.Writer) (*serveConfig, error) {
	var c serveConfig
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c.store.register(fs)
	c.scoring.register(fs)
	fs.StringVar(&c.addr, "addr", envOr("RAPPORT_ADDR", ":8080"), "listen address (env RAPPORT_ADDR)")
	fs.BoolVar(&c.demo, "demo", false, "load the demo data set and seed demo credentials")
	fs.StringVar(&c.logFormat, "log-format", "text", "log format: text or json")
	fs.StringVar(&c.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	fs.DurationVar(&c.drain, "drain", 15*time.Second, "how long shutdown waits for in-flight requests")
	fs.StringVar(&c.role, "role", roleAll, "all: take events and apply them; ingest: only take events into the log (a process of role all on the same store applies them); worker: apply the partitions of a partitioned log it holds leases on (--postgres and --nats)")
	fs.IntVar(&c.store.partitions, "partitions", 0, fmt.Sprintf("partitions of the NATS log, fixed at the first start (0: not partitioned; role worker: %d)", defaultPartitions))
	fs.DurationVar(&c.leaseTTL, "lease-ttl", 10*time.Second, "role worker: how long a partition lease lasts unrenewed, so how soon a dead worker's partitions move")
	fs.IntVar(&c.cache, "cache-profiles", processor.DefaultCacheSize, "profiles the processor keeps in memory (about 2.4 KB each)")
	fs.Float64Var(&c.limits.ProfileRate, "profile-rate", 25, "events per second allowed per profile on the live tracking endpoints")
	fs.IntVar(&c.limits.ProfileBurst, "profile-burst", 100, "burst of events allowed per profile above --profile-rate")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	c.scoring.parsed(fs)
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("serve: unexpected argument %q", fs.Arg(0))
	}
	if err := c.checkRole(); err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	var err error
	if c.decl, err = c.scoring.load(); err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	return &c, nil
}

// checkRole refuses roles and partitioning the backend cannot run.
func (c *serveConfig) checkRole() error {
	switch c.role {
	case roleAll, roleIngest:
	case roleWorker:
		if c.store.postgres == "" || c.store.nats == "" {
			return fmt.Errorf("--role worker needs --postgres and --nats: workers keep state in PostgreSQL and read a partitioned log from NATS JetStream")
		}
		if c.store.partitions == 0 {
			c.store.partitions = defaultPartitions
		}
	default:
		return fmt.Errorf("--role %q: want all, ingest or worker", c.role)
	}
	switch {
	case c.store.partitions < 0:
		return fmt.Errorf("--partitions %d: want 0 or more", c.store.partitions)
	case c.store.partitions > 0 && (c.store.postgres == "" || c.store.nats == ""):
		return fmt.Errorf("--partitions needs --postgres and --nats")
	case c.store.partitions > 0 && c.role == roleAll:
		return fmt.Errorf("--partitions needs --role ingest or worker: a partitioned log is applied by workers")
	case c.leaseTTL < 300*time.Millisecond:
		return fmt.Errorf("--lease-ttl %s: want at least 300ms", c.leaseTTL)
	}
	return nil
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseServe(args, stderr)
	if err != nil {
		return err
	}
	logger, err := newLogger(stderr, cfg.logFormat, cfg.logLevel)
	if err != nil {
		return err
	}
	b, err := cfg.store.open(ctx)
	if err != nil {
		return err
	}
	defer b.Close()
	if err := seedKeys(ctx, b.Store, logger, cfg.demo); err != nil {
		return err
	}
	if cfg.demo {
		if err := seedDemoUser(ctx, b.Store, logger); err != nil {
			return err
		}
	}
	return serve(ctx, cfg, b, logger, nil)
}

// serve runs the processor, the committer and the HTTP server until ctx is
// done, then shuts down in order: stop taking requests and drain them,
// flush the committer, then stop the processor. ready, when not nil, is
// called with the listening address.
func serve(ctx context.Context, cfg *serveConfig, b *backend, logger *slog.Logger, ready func(net.Addr)) error {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	clock, err := serveClock()
	if err != nil {
		return err
	}
	keeper, changed, err := newKeeper(ctx, cfg.decl, b.Store, clock, logger, cfg.role == roleIngest)
	if err != nil {
		return err
	}
	notify := func() {}
	offers, err := newOffers(ctx, cfg, b.Store, clock, logger, func() { notify() })
	if err != nil {
		return err
	}
	// Deferred early, so it stops late and records the last decisions.
	defer runInBackground(ctx, "offers", offers.Run, logger)()
	var scoringAPI rhttp.Scoring = keeper
	var segmentsAPI rhttp.Segments
	var procAPI rhttp.Processor = ingestOnly{}
	var scores rhttp.ScoreReader = b.Store
	onAppend := func() {}
	var background func(ctx context.Context, takenOver bool) (stop func())
	var leadsRun func(context.Context) error
	switch cfg.role {
	case roleIngest:
		// Passes run where events are applied.
		scoringAPI = ingestScoring{keeper}
		// A partitioned log is erased through the owning partition's worker.
		if eraser, ok := newPartitionedEraser(b, offers.Forget); ok {
			procAPI = eraser
		}
	case roleWorker:
		scoringAPI = ingestScoring{keeper}
		dispatcher := &webhook.Dispatcher{Store: b.Store, Profiles: b.Store, Logger: logger}
		notify = dispatcher.Notify
		segments := membership.NewKeeper(b.Store, clock, logger)
		if err := segments.Load(ctx); err != nil {
			return err
		}
		var onApplied sync.Mutex
		opts := processor.Options{Logger: logger, CacheSize: cfg.cache, Clock: clock, Scorer: keeper.Live(),
			Segmenter: segments.Live(), PollInterval: 50 * time.Millisecond,
			OnApplied: func(c rapport.Changes) {
				onApplied.Lock()
				defer onApplied.Unlock()
				offers.OnApplied(c)
			}}
		pw, err := newPartitionWorker(b, opts, logger)
		if err != nil {
			return err
		}
		pw.forgetPeople(offers.Forget)
		segments.OnWritten = pw.Forget
		keeper.OnWritten(pw.Forget)
		keeper.AfterPass(func(reason string) { segments.Start("rescored: " + reason) })
		defer segments.Close()
		defer keeper.Close()
		defer runInBackground(ctx, "partitions", func(ctx context.Context) error { return pw.run(ctx, cfg.leaseTTL) }, logger)()
		segmentsAPI, procAPI = segments, pw
		background = func(ctx context.Context, takenOver bool) func() {
			return backgroundJobs(keeper, cfg.decl.cfg.RescoreEvery(), dispatcher.Run, leadsRun, offers.RunUpkeep, logger)(ctx, takenOver)
		}
	default:
		// Deferred first, so it stops after the processor: the processor's
		// last batch may have queued deliveries (they stay in the outbox).
		dispatcher := &webhook.Dispatcher{Store: b.Store, Profiles: b.Store, Logger: logger}
		defer runInBackground(ctx, "webhook dispatcher", dispatcher.Run, logger)()
		notify = dispatcher.Notify
		// Every profile's scoring state in memory: rescored there after a
		// model change, served from there, written behind to the store.
		hot := rescore.NewHot()
		keeper.Live().UseHot(hot)
		scores = &rescore.Scores{Hot: hot, Live: keeper.Live(), Store: b.Store}
		opts := processor.Options{Logger: logger, CacheSize: cfg.cache, Clock: clock,
			OnApplied: func(c rapport.Changes) {
				keeper.Live().Applied(c)
				offers.OnApplied(c)
				if len(c.Notifications) > 0 || len(c.Memberships) > 0 {
					dispatcher.Notify()
				}
			}}
		opts.Scorer = keeper.Live()
		segments := membership.NewKeeper(b.Store, clock, logger)
		if err := segments.Load(ctx); err != nil {
			return err
		}
		opts.Segmenter = segments.Live()
		proc := processor.New(b.Log, b.Store, opts)
		segments.OnWritten = proc.Forget
		keeper.OnWritten(proc.Forget)
		// Rules read scores, and some read time: segments are recomputed
		// after every rescoring pass, which runs at start, after a model
		// change and on the rescoring schedule.
		keeper.AfterPass(func(reason string) { segments.Start("rescored: " + reason) })
		defer runInBackground(ctx, "processor", proc.Run, logger)()
		// Deferred after the processor, so the pass stops first.
		defer segments.Close()
		segmentsAPI = segments
		// Deferred after the processor, so passes stop first.
		defer keeper.Close()
		// A pass at every start scores what arrived without the processor
		// (rapport import) and what time changed while the server was down.
		reason := "start"
		if changed {
			reason = fmt.Sprintf("model version %d", keeper.Status().ModelVersion)
		}
		keeper.Fill(ctx)
		keeper.Start(reason)
		if every := cfg.decl.cfg.RescoreEvery(); every > 0 {
			defer runInBackground(ctx, "rescoring schedule", func(ctx context.Context) error {
				keeper.Every(ctx, every)
				return nil
			}, logger)()
		}
		registerProcessorMetrics(reg, proc)
		procAPI, onAppend = hotErasure{offerErasure{proc, offers}, hot}, proc.Notify
	}
	committer := ingest.NewCommitter(b.Log, ingest.Options{OnAppend: onAppend})
	defer committer.Close()
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "rapport_log_appended_seq",
		Help: "Log sequence number of the last event this process acknowledged; minus rapport_processor_applied_seq, the events not applied yet.",
	}, func() float64 { return float64(committer.LastSeq()) }))

	if cfg.demo {
		if err := loadDemo(ctx, committer, logger); err != nil {
			return err
		}
		defer startDemoOffers(ctx, cfg, b.Store, committer, offers, logger)()
	}
	leadSvc, err := newLeads(ctx, cfg, b.Store, committer, clock, logger)
	if err != nil {
		return err
	}
	if cfg.demo {
		if err := loadDemoLeads(ctx, cfg, b.Store, committer, logger); err != nil {
			return err
		}
	}
	if cfg.role == roleAll {
		defer runInBackground(ctx, "lead SLA watcher", leadSvc.Run, logger)()
	}
	if background != nil {
		// Deferred last, so it stops first.
		leadsRun = leadSvc.Run
		pg := b.Store.(*postgres.Store)
		defer runInBackground(ctx, "background jobs", func(ctx context.Context) error {
			return runLeased(ctx, pg, "background", workerID(), cfg.leaseTTL, logger, background)
		}, logger)()
	}
	econ := cfg.decl.cfg.Economics.Options()
	dash, err := dashboard.New(dashboard.Config{Leads: leadSvc, Store: b.Store, Scores: scores, Scoring: scoringAPI, Segments: segmentsAPI, Economics: &econ,
		Clock: clock, Logger: logger, Offers: offers})
	if err != nil {
		return err
	}
	srv := rhttp.NewServer(rhttp.Config{Store: b.Store, Scores: scores, Ingest: committer, Processor: procAPI, Scoring: scoringAPI, Segments: segmentsAPI, Economics: &econ,
		Offers: offers, Leads: leadSvc, Logger: logger, Registry: reg, Limits: cfg.limits, Dashboard: dash})
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.addr, err)
	}
	logger.Info("rapport listening", "addr", ln.Addr().String(), "store", cfg.store.describe(), "role", cfg.role)
	if ready != nil {
		ready(ln.Addr())
	}
	return srv.Serve(ctx, ln, cfg.drain)
}

// loadDemo appends the demo data set through the committer, so it is
// stored and processed like live traffic. Its messageIds are fixed, so the
// processor applies a second start's copy not at all.
func loadDemo(ctx context.Context, committer *ingest.Committer, logger *slog.Logger) error {
	events := demo.Events(1, time.Now().UTC(), 300)
	for start := 0; start < len(events); start += 500 {
		end := min(start+500, len(events))
		if err := committer.Append(ctx, events[start:end]); err != nil {
			return fmt.Errorf("load demo data: %w", err)
		}
	}
	logger.Info("demo data loaded", "events", len(events))
	return nil
}

// serveClock is the system clock, or the fixed time RAPPORT_FIXED_NOW
// names (RFC 3339): scores decay and segments read the time, so a test
// comparing two deployments' results runs both at one instant.
func serveClock() (rapport.Clock, error) {
	v := os.Getenv("RAPPORT_FIXED_NOW")
	if v == "" {
		return rapport.SystemClock{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return nil, fmt.Errorf("RAPPORT_FIXED_NOW %q: %w", v, err)
	}
	return rapport.ClockFunc(func() time.Time { return t.UTC() }), nil
}

func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: %w", level, err)
	}
	opts := &slog.HandlerOptions{Level: lvl}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want text or json", format)
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// quietLogger logs warnings and errors only, for the one-shot commands.
func quietLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// registerProcessorMetrics exposes how far the processor has got and what
// it passed over.
func registerProcessorMetrics(reg prometheus.Registerer, proc *processor.Processor) {
	reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "rapport_processor_applied_seq",
			Help: "Log sequence number of the last event applied to profiles.",
		}, func() float64 { return float64(proc.Applied()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "rapport_processor_duplicates_total",
			Help: "Events passed over because their messageId was already applied (client retries).",
		}, func() float64 { return float64(proc.Duplicates()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "rapport_processor_skipped_total",
			Help: "Events that could not be applied and were skipped (logged with the reason).",
		}, func() float64 { return float64(proc.Skipped()) }),
	)
}

// runInBackground runs a background loop (the processor, the webhook
// dispatcher) until stop is called; stop waits for it to return. Each is
// stopped after what feeds it: the deferred stops run in reverse order.
func runInBackground(ctx context.Context, name string, run func(context.Context) error, logger *slog.Logger) (stop func()) {
	bctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := run(bctx); err != nil && !errors.Is(err, context.Canceled) {
			logger.Error(name+" stopped", "err", err)
		}
	})
	return func() { cancel(); wg.Wait() }
}

// ingestScoring serves the scoring model on a process of role ingest,
// which neither replaces it nor rescores: those run where events are
// applied.
type ingestScoring struct{ *rescore.Keeper }

// Replace refuses: the process of role all stores and runs models.
func (ingestScoring) Replace(context.Context, []byte) (*scoring.Model, error) {
	return nil, rapport.Errorf(rapport.ECONFLICT, "this process only takes events (role ingest); replace the model through a process of role all")
}

// Start does nothing: passes run on the process of role all.
func (ingestScoring) Start(string) {}

// ingestOnly stands in for the processor on a process of role ingest.
type ingestOnly struct{}

// Applied reports nothing applied: another process applies the log.
func (ingestOnly) Applied() int64 { return 0 }

// Erase refuses: the erasure must run where events are applied, or a batch
// holding the person could write them back.
func (ingestOnly) Erase(context.Context, string) (*rapport.Erasure, error) {
	return nil, rapport.Errorf(rapport.ECONFLICT, "this process only takes events (role ingest); erase through a process of role all")
}

package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/config"
	"github.com/rapportdev/rapport/decide"
	"github.com/rapportdev/rapport/offer"
	"github.com/rapportdev/rapport/scoring"
)

// offerBenchConfig is the flags of `rapport bench offers`.
type offerBenchConfig struct {
	shape       offerBenchShape
	rate        float64
	duration    time.Duration
	triggers    int
	triggerRate float64
}

// offerBenchPolicy is the policy measured: the defaults without quiet
// hours and channel caps, so that every trigger at any hour of the run
// pushes an offer.
const offerBenchPolicy = "offers:\n  quiet_hours: null\n  caps: {}\n"

// benchOffers measures decision latency (in process: the engine alone and
// the service with its store reads; over HTTP: POST /api/v1/decide) at a
// steady rate, and trigger latency: from the acknowledgement of a
// /v1/track call to the webhook's delivery on loopback.
func benchOffers(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c offerBenchConfig
	var sf storeFlags
	fs := flag.NewFlagSet("bench offers", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sf.register(fs)
	fs.IntVar(&c.shape.profiles, "profiles", 10_000, "profiles in the store")
	fs.IntVar(&c.shape.offers, "offers", 200, "offers in the catalog")
	fs.IntVar(&c.shape.segments, "segments", 50, "rule segments; each profile is in five")
	fs.Uint64Var(&c.shape.seed, "seed", 1, "random seed")
	fs.Float64Var(&c.rate, "rate", 1000, "decisions per second")
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "how long each decision measurement runs")
	fs.IntVar(&c.triggers, "triggers", 1000, "trigger events to send (0: skip the trigger measurement)")
	fs.Float64Var(&c.triggerRate, "trigger-rate", 50, "trigger events per second")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.shape.profiles < 1 || c.shape.offers < 1 || c.shape.segments < 1 || c.rate <= 0 || c.triggerRate <= 0 {
		return errors.New("bench offers: --profiles, --offers, --segments, --rate and --trigger-rate must be positive")
	}
	removeTemp, err := benchDataDir(&sf)
	if err != nil {
		return err
	}
	defer removeTemp()
	b, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer b.Close()
	start := time.Now()
	if err := seedOfferBench(ctx, b.Store, c.shape); err != nil {
		return fmt.Errorf("bench offers: %w", err)
	}
	fmt.Fprintf(stdout, "store: %s; %d profiles, %d offers, %d segments seeded in %s\n", sf.describe(),
		c.shape.profiles, c.shape.offers, c.shape.segments, time.Since(start).Round(time.Millisecond))
	return runOfferBench(ctx, &c, &sf, b, stdout, stderr)
}

// offerBenchEnv is a server running on the seeded store and what talks to
// it.
type offerBenchEnv struct {
	url, writeKey, adminToken string
	client                    *http.Client
	policy                    offer.Policy
}

func runOfferBench(ctx context.Context, c *offerBenchConfig, sf *storeFlags, b *backend, stdout, stderr io.Writer) error {
	env, stop, err := startOfferBenchServer(ctx, sf, b, stderr)
	if err != nil {
		return err
	}
	defer stop()
	// Two services beside the server's: one reads the store for every
	// decision (as a process of role ingest does), one keeps people in
	// memory (as the process of role all does).
	cold, stopCold, err := startBenchService(ctx, b.Store, env.policy, 0, stderr)
	if err != nil {
		return err
	}
	defer stopCold()
	warm, stopWarm, err := startBenchService(ctx, b.Store, env.policy, c.shape.profiles+1, stderr)
	if err != nil {
		return err
	}
	defer stopWarm()
	if err := warmOffers(ctx, cold, c); err != nil {
		return err
	}
	if err := warmPeople(ctx, c, warm, env); err != nil {
		return err
	}
	var rows []latencyRow
	engine, err := measureEngine(ctx, cold, c)
	if err != nil {
		return err
	}
	rows = append(rows, engine)
	decideWith := func(svc *decide.Service) func(*rand.Rand) error {
		return func(r *rand.Rand) error {
			_, err := svc.Decide(ctx, benchRequest(r, c.shape.profiles))
			return err
		}
	}
	rows = append(rows, pace(ctx, "decision, in process (service, people cached)", c.rate, c.duration, decideWith(warm)))
	rows = append(rows, pace(ctx, "decision over HTTP (POST /api/v1/decide, role all)", c.rate, c.duration, func(r *rand.Rand) error {
		return env.decide(ctx, benchRequest(r, c.shape.profiles))
	}))
	if c.triggers > 0 {
		row, err := measureTriggers(ctx, env, b.Store, c)
		if err != nil {
			return err
		}
		rows = append(rows, row)
	}
	// Last: at 1,000/s on two cores it may not keep up, and what it
	// leaves queued must not weigh on the others.
	rows = append(rows, pace(ctx, "decision, in process (service, store read every time)", c.rate, c.duration, decideWith(cold)))
	writeLatencyTable(stdout, rows)
	return nil
}

// startBenchService runs an offer service on the store, caching up to
// cache people (0: none).
func startBenchService(ctx context.Context, st rapport.Store, p offer.Policy, cache int, stderr io.Writer) (*decide.Service, func(), error) {
	svc, err := decide.New(decide.Config{Store: st, Policy: p, Logger: quietLogger(stderr), CachePeople: cache})
	if err != nil {
		return nil, nil, err
	}
	if err := svc.Load(ctx); err != nil {
		return nil, nil, err
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- svc.Run(runCtx) }()
	return svc, func() { cancel(); <-done }, nil
}

// warmPeople asks once about every profile, in process and over HTTP, so
// both caches hold everyone: the steady state of people who come back.
func warmPeople(ctx context.Context, c *offerBenchConfig, svc *decide.Service, env *offerBenchEnv) error {
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 8 {
		wg.Go(func() {
			for i := w; i < c.shape.profiles; i += 8 {
				req := decide.Request{Identity: rapport.Identity{Kind: rapport.IdentityUserID, Value: benchUserID(i)},
					Context: rapport.DecisionContext{Channel: rapport.ChannelWeb}}
				if _, err := svc.Decide(ctx, req); err != nil {
					errs <- err
					return
				}
				if err := env.decide(ctx, req); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return fmt.Errorf("warm up: %w", err)
	}
	return nil
}

// startOfferBenchServer runs the server in this process on a loopback
// port, with keys to call it and the benchmark's policy.
func startOfferBenchServer(ctx context.Context, sf *storeFlags, b *backend, stderr io.Writer) (*offerBenchEnv, func(), error) {
	decl, err := config.Parse([]byte(offerBenchPolicy))
	if err != nil {
		return nil, nil, err
	}
	env := &offerBenchEnv{writeKey: rapport.NewSecret("wk_"), adminToken: rapport.NewSecret("at_"), policy: decl.Offers.Policy(),
		client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}, Timeout: 10 * time.Second}}
	if err := ensureKey(ctx, b.Store, rapport.KeyWrite, "bench", env.writeKey); err != nil {
		return nil, nil, err
	}
	if err := ensureKey(ctx, b.Store, rapport.KeyAdmin, "bench", env.adminToken); err != nil {
		return nil, nil, err
	}
	b2c, err := scoring.TemplateYAML("b2c")
	if err != nil {
		return nil, nil, err
	}
	srvCtx, cancel := context.WithCancel(ctx)
	ready := make(chan net.Addr, 1)
	done := make(chan error, 1)
	scfg := &serveConfig{store: *sf, addr: "127.0.0.1:0", drain: 5 * time.Second, role: roleAll,
		decl: &declaration{cfg: decl, model: b2c, source: "template b2c"}}
	go func() { done <- serve(srvCtx, scfg, b, quietLogger(stderr), func(a net.Addr) { ready <- a }) }()
	select {
	case a := <-ready:
		env.url = "http://" + a.String()
	case err := <-done:
		cancel()
		return nil, nil, fmt.Errorf("start bench server: %w", err)
	}
	stop := func() { cancel(); <-done }
	if err := env.settle(ctx); err != nil {
		stop()
		return nil, nil, err
	}
	return env, stop, nil
}

// settle waits for the passes a server runs at start (rescoring and
// segment recompute over every profile) to end: they would compete with
// the decisions measured.
func (e *offerBenchEnv) settle(ctx context.Context) error {
	for _, path := range []string{"/api/v1/scoring/rescore", "/api/v1/segments/recompute"} {
		for {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.url+path, nil)
			if err != nil {
				return err
			}
			req.Header.Set("Authorization", "Bearer "+e.adminToken)
			resp, err := e.client.Do(req)
			if err != nil {
				return err
			}
			var st struct{ Running bool }
			err = json.NewDecoder(resp.Body).Decode(&st)
			resp.Body.Close()
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			if !st.Running {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	return nil
}

// benchRequest asks for a decision for a random profile in a random zone
// on the web.
func benchRequest(r *rand.Rand, profiles int) decide.Request {
	return decide.Request{Identity: rapport.Identity{Kind: rapport.IdentityUserID, Value: benchUserID(r.IntN(profiles))},
		Context: rapport.DecisionContext{Channel: rapport.ChannelWeb, Zone: benchZones[r.IntN(len(benchZones))],
			Page: fmt.Sprintf("/c/%d/item", r.IntN(10))}}
}

// warmOffers makes decisions and answers a quarter of their first offers,
// so posteriors hold data and some outcomes exist.
func warmOffers(ctx context.Context, svc *decide.Service, c *offerBenchConfig) error {
	r := rand.New(rand.NewPCG(c.shape.seed, 3))
	for i := range 2000 {
		d, err := svc.Decide(ctx, benchRequest(r, c.shape.profiles))
		if err != nil {
			return fmt.Errorf("warm up: %w", err)
		}
		if len(d.Offers) == 0 {
			continue
		}
		reqs := []decide.OutcomeRequest{{DecisionID: d.ID, OfferID: d.Offers[0].OfferID, Type: rapport.OutcomeShown}}
		if i%4 == 0 {
			reqs = append(reqs, decide.OutcomeRequest{DecisionID: d.ID, OfferID: d.Offers[0].OfferID, Type: rapport.OutcomeAccepted})
		}
		if _, err := svc.RecordOutcomes(ctx, reqs); err != nil {
			return fmt.Errorf("warm up: %w", err)
		}
	}
	return nil
}

// measureEngine times the engine alone on inputs read beforehand: the
// decision's own cost, without the store.
func measureEngine(ctx context.Context, svc *decide.Service, c *offerBenchConfig) (latencyRow, error) {
	st := svc.Engine()
	r := rand.New(rand.NewPCG(c.shape.seed, 5))
	inputs, err := engineInputs(ctx, svc, c, r)
	if err != nil {
		return latencyRow{}, err
	}
	row := pace(ctx, fmt.Sprintf("decision, in process (engine alone, %d offers)", c.shape.offers), c.rate, c.duration, func(r *rand.Rand) error {
		in := inputs[r.IntN(len(inputs))]
		in.Now = time.Now()
		st.Decide(in)
		return nil
	})
	return row, nil
}

// engineInputs reads 1,000 people's inputs through the service's store.
func engineInputs(ctx context.Context, svc *decide.Service, c *offerBenchConfig, r *rand.Rand) ([]offer.Input, error) {
	var out []offer.Input
	for range 1000 {
		in, err := svc.Input(ctx, benchRequest(r, c.shape.profiles))
		if err != nil {
			return nil, err
		}
		in.Limit = 3
		out = append(out, in)
	}
	return out, nil
}

// decide calls POST /api/v1/decide.
func (e *offerBenchEnv) decide(ctx context.Context, req decide.Request) error {
	body, _ := json.Marshal(map[string]any{"userId": req.Identity.Value, "context": req.Context})
	return e.admin(ctx, "/api/v1/decide", string(body), http.StatusOK)
}

// latencyRow is one measurement's latency distribution.
type latencyRow struct {
	name               string
	n, errors          int
	rate               float64
	p50, p90, p99, max time.Duration
	firstErr           string
}

// pace calls fn at rate per second for d, each call in its own goroutine
// (at most 512 at once), and measures each call. A run that cannot keep
// the rate shows it in the rate achieved, and calls that waited for a
// free slot count the wait (so queueing is not hidden); the sleep's own
// overshoot, a timer artefact of this process, is not counted.
func pace(ctx context.Context, name string, rate float64, d time.Duration, fn func(*rand.Rand) error) latencyRow {
	interval := time.Duration(float64(time.Second) / rate)
	total := int(d.Seconds() * rate)
	lat := make([]time.Duration, total)
	errs := make([]error, total)
	slots := make(chan struct{}, 512)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range total {
		due := start.Add(time.Duration(i) * interval)
		if wait := time.Until(due); wait > 0 {
			time.Sleep(wait)
		}
		if ctx.Err() != nil {
			break
		}
		sent := time.Now()
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			r := rand.New(rand.NewPCG(uint64(i), 17))
			errs[i] = fn(r)
			lat[i] = time.Since(sent)
		})
	}
	wg.Wait()
	row := latencyRow{name: name, n: total, rate: float64(total) / time.Since(start).Seconds()}
	for _, err := range errs {
		if err != nil {
			if row.errors == 0 {
				row.firstErr = err.Error()
			}
			row.errors++
		}
	}
	row.p50, row.p90, row.p99, row.max = percentiles(lat)
	return row
}

// percentiles returns the 50th, 90th and 99th percentiles and the maximum.
func percentiles(lat []time.Duration) (p50, p90, p99, most time.Duration) {
	if len(lat) == 0 {
		return 0, 0, 0, 0
	}
	s := slices.Clone(lat)
	slices.Sort(s)
	at := func(q float64) time.Duration { return s[min(len(s)-1, int(q*float64(len(s))))] }
	return at(0.50), at(0.90), at(0.99), s[len(s)-1]
}

func writeLatencyTable(w io.Writer, rows []latencyRow) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "measurement\tn\trate/s\tp50\tp90\tp99\tmax\terrors\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%s\t%s\t%s\t%s\t%d\t\n", r.name, r.n, r.rate, ms(r.p50), ms(r.p90), ms(r.p99), ms(r.max), r.errors)
	}
	tw.Flush()
	for _, r := range rows {
		if r.errors > 0 {
			fmt.Fprintf(w, "%s: first error: %s\n", r.name, r.firstErr)
		}
	}
}

// ms writes a duration in milliseconds with three decimals.
func ms(d time.Duration) string { return fmt.Sprintf("%.3f ms", float64(d)/float64(time.Millisecond)) }

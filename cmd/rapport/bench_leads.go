package main

import (
	"bytes"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/bench"
)

// leadBenchConfig holds the flags of `rapport bench leads`.
type leadBenchConfig struct {
	existing    int
	dupShare    float64
	duration    time.Duration
	concurrency int
	batch       int
	priceRate   float64
	priceFor    time.Duration
	role        string
}

// benchLeads measures lead intake with duplicate detection over a store
// that already holds --existing match keys (the identities of earlier
// leads: half emails, half phones), and then the pricing endpoint at a
// fixed rate. It runs the whole server in this process on a fresh
// embedded store, as bench ingest does.
func benchLeads(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c leadBenchConfig
	var sf storeFlags
	fs := flag.NewFlagSet("bench leads", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sf.register(fs)
	fs.IntVar(&c.existing, "existing", 10_000_000, "match keys (identities of earlier leads) stored before the run")
	fs.Float64Var(&c.dupShare, "duplicates", 0.3, "share of the leads sent that are people already known")
	fs.DurationVar(&c.duration, "duration", 15*time.Second, "how long to send leads (0 skips intake)")
	fs.IntVar(&c.concurrency, "concurrency", 8, "concurrent intake clients")
	fs.IntVar(&c.batch, "batch", 100, "leads per intake request")
	fs.Float64Var(&c.priceRate, "price-rate", 1000, "pricing requests per second")
	fs.DurationVar(&c.priceFor, "price-duration", 15*time.Second, "how long to send pricing requests (0 skips them)")
	fs.StringVar(&c.role, "role", roleAll, "role of the in-process server: all or ingest")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the intake run to this file")
	reportLeads := fs.Int("report-leads", 0, "instead of intake and pricing: store this many leads and time the vendor scorecards and trends over them")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if sf.postgres != "" {
		return fmt.Errorf("bench leads: the embedded store only (the preload writes the SQLite file)")
	}
	removeTemp, err := benchDataDir(&sf)
	if err != nil {
		return err
	}
	defer removeTemp()
	if *reportLeads > 0 {
		return benchLeadReports(ctx, &sf, *reportLeads, stdout, stderr)
	}
	vendorKey, err := prepareLeadBench(ctx, &sf, c.existing, stderr)
	if err != nil {
		return fmt.Errorf("bench leads: %w", err)
	}
	var bc bench.Config
	stop, err := startBenchServer(ctx, &sf, c.role, &bc, stderr)
	if err != nil {
		return err
	}
	defer stop()
	g := &leadGen{existing: c.existing / 2, dupShare: c.dupShare, start: time.Now().UTC()}
	stopProfile, err := startCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	if c.duration > 0 {
		in := runLeadIntake(ctx, bc.URL, vendorKey, g, c)
		fmt.Fprintf(stdout, "intake: %d leads in %.1fs = %.0f leads/s (%d of them duplicates of stored people), %d requests refused\n",
			in.leads, in.elapsed.Seconds(), float64(in.leads)/in.elapsed.Seconds(), in.dups, in.failed)
		fmt.Fprintf(stdout, "intake leads acknowledged %s\n", in.sustained())
		fmt.Fprintf(stdout, "intake request latency (%d leads each): %s\n", c.batch, in.quantiles())
	}
	stopProfile()
	if c.priceFor > 0 {
		pr := runLeadPricing(ctx, bc.URL, vendorKey, g, c)
		fmt.Fprintf(stdout, "pricing: %d requests at %.0f/s, %d failed; latency %s\n", pr.requests, c.priceRate, pr.failed, pr.quantiles())
	}
	return nil
}

// prepareLeadBench opens the store (applying migrations), writes the
// existing match keys straight into the lead_keys table in key order (as
// CreateLeads would have, much faster), and creates a vendor and its key.
func prepareLeadBench(ctx context.Context, sf *storeFlags, existing int, stderr io.Writer) (string, error) {
	b, err := sf.open(ctx)
	if err != nil {
		return "", err
	}
	defer b.Close()
	v := &rapport.Vendor{ID: "bench", Name: "Bench vendor", SharedWith: 2, Price: 20, Active: true, CreatedAt: time.Now().UTC()}
	if err := b.Store.CreateVendor(ctx, v); err != nil {
		return "", err
	}
	secret := rapport.NewSecret("vk_")
	if err := b.Store.CreateKey(ctx, &rapport.Key{ID: rapport.NewID("k_"), Kind: rapport.KeyVendor, Name: v.ID,
		Hash: rapport.HashSecret(secret), CreatedAt: v.CreatedAt}); err != nil {
		return "", err
	}
	start := time.Now()
	if err := preloadLeadKeys(ctx, sf.dbPath(), existing); err != nil {
		return "", err
	}
	fmt.Fprintf(stderr, "bench leads: %d existing match keys stored in %s\n", existing, time.Since(start).Round(time.Second))
	return secret, nil
}

// preloadLeadKeys inserts n keys: emails then phones of n/2 people, each
// the person of a lead that is not stored (the keys are what duplicate
// detection reads).
func preloadLeadKeys(ctx context.Context, path string, n int) error {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(OFF)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	const chunk = 200_000
	for lo := 0; lo < n; lo += chunk {
		if err := insertKeys(ctx, db, lo, min(lo+chunk, n), n/2); err != nil {
			return fmt.Errorf("preload keys: %w", err)
		}
	}
	// Fold the preload into the database file now, so the run does not
	// pay for checkpointing it.
	if _, err := db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return fmt.Errorf("preload keys: checkpoint: %w", err)
	}
	return nil
}

func insertKeys(ctx context.Context, db *sql.DB, lo, hi, people int) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `INSERT INTO lead_keys (key, person_id) VALUES (?, ?)`)
	if err != nil {
		return err
	}
	for i := lo; i < hi; i++ {
		p := i % max(people, 1)
		key := benchEmailKey(p)
		if i >= people {
			key = benchPhoneKey(p)
		}
		if _, err := st.ExecContext(ctx, key, fmt.Sprintf("ld_seed%09d", p)); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func benchEmail(p int) string    { return fmt.Sprintf("p%09d@bench.example", p) }
func benchEmailKey(p int) string { return "e:" + benchEmail(p) }
func benchPhone(p int) string    { return fmt.Sprintf("+1206%07d", p%10_000_000) }
func benchPhoneKey(p int) string { return "p:" + benchPhone(p) }
func benchLeadJSON(p int, ext string, at time.Time) string {
	ts := at.Format(time.RFC3339)
	return fmt.Sprintf(`{"externalId":%q,"person":{"firstName":"Pat","lastName":"Lee%d","email":%q,"phone":%q,`+
		`"address":{"street":"%d Main Street","postalCode":"98101","region":"WA"}},"submittedAt":%q,`+
		`"form":{"seconds":70,"input":"typed","completedBy":"consumer"},"answers":{"product":"auto","credit":"good"},`+
		`"consent":{"text":"I agree to be called and texted about insurance quotes.","at":%q,"ip":"203.0.113.9","method":"checkbox","channels":["phone","sms"]}}`,
		ext, p, benchEmail(p), benchPhone(p), p%9999, ts, ts)
}

// leadGen makes the leads sent: a share of people already stored, the
// rest new.
type leadGen struct {
	existing int
	dupShare float64
	start    time.Time
	next     atomic.Int64
	dups     atomic.Int64
}

func (g *leadGen) lead() string {
	n := int(g.next.Add(1))
	p := g.existing + n // a new person
	if g.existing > 0 && float64(n%100) < g.dupShare*100 {
		p = (n * 7919) % g.existing // a stored person, spread over the keys
		g.dups.Add(1)
	}
	return benchLeadJSON(p, fmt.Sprintf("b-%d", n), g.start.Add(-time.Minute))
}

func (g *leadGen) batch(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"leads":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(g.lead())
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

// leadRun is what a run measured.
type leadRun struct {
	mu                            sync.Mutex
	latencies                     []time.Duration
	leads, dups, requests, failed int64
	elapsed                       time.Duration
	start                         time.Time
	// perSecond counts the leads acknowledged in each second of the run.
	perSecond []int64
}

func (r *leadRun) record(d time.Duration, ok bool, leads int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests++
	if !ok {
		r.failed++
		return
	}
	r.leads += int64(leads)
	r.latencies = append(r.latencies, d)
	if !r.start.IsZero() {
		sec := int(time.Since(r.start) / time.Second)
		for len(r.perSecond) <= sec {
			r.perSecond = append(r.perSecond, 0)
		}
		r.perSecond[sec] += int64(leads)
	}
}

// sustained describes the leads acknowledged per whole second of the
// run: the slowest, median and fastest second.
func (r *leadRun) sustained() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	secs := slices.Clone(r.perSecond)
	if len(secs) > 1 {
		secs = secs[:len(secs)-1] // the last second is cut short
	}
	if len(secs) == 0 {
		return "no whole second"
	}
	slices.Sort(secs)
	return fmt.Sprintf("per second: slowest %d, median %d, fastest %d", secs[0], secs[len(secs)/2], secs[len(secs)-1])
}

func (r *leadRun) quantiles() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.latencies) == 0 {
		return "no answers"
	}
	slices.Sort(r.latencies)
	q := func(p float64) time.Duration {
		return r.latencies[int(p*float64(len(r.latencies)-1))].Round(10 * time.Microsecond)
	}
	return fmt.Sprintf("p50 %v, p90 %v, p99 %v, max %v", q(0.5), q(0.9), q(0.99), r.latencies[len(r.latencies)-1].Round(10*time.Microsecond))
}

// postLead sends one request with the vendor key and reports whether it
// was answered 2xx.
func postLead(ctx context.Context, client *http.Client, url, key string, body []byte) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return false
	}
	req.SetBasicAuth(key, "")
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode/100 == 2
}

// runLeadIntake runs closed-loop clients posting batches of leads.
func runLeadIntake(ctx context.Context, base, key string, g *leadGen, c leadBenchConfig) *leadRun {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: c.concurrency}}
	start := time.Now()
	r := &leadRun{start: start}
	deadline := start.Add(c.duration)
	var wg sync.WaitGroup
	for range c.concurrency {
		wg.Go(func() {
			for ctx.Err() == nil && time.Now().Before(deadline) {
				body := g.batch(c.batch)
				t := time.Now()
				ok := postLead(ctx, client, base+"/v1/leads", key, body)
				r.record(time.Since(t), ok, c.batch)
			}
		})
	}
	wg.Wait()
	r.elapsed, r.dups = time.Since(start), g.dups.Load()
	return r
}

// runLeadPricing sends single pricing requests on a fixed schedule, open
// loop: latency counts from when a request was due.
func runLeadPricing(ctx context.Context, base, key string, g *leadGen, c leadBenchConfig) *leadRun {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	r := &leadRun{}
	interval := time.Duration(float64(time.Second) / c.priceRate)
	start := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < int(c.priceFor/interval); i++ {
		due := start.Add(time.Duration(i) * interval)
		if d := time.Until(due); d > 0 {
			time.Sleep(d)
		}
		body := []byte(g.lead())
		wg.Go(func() {
			ok := postLead(ctx, client, base+"/api/v1/leads/price", key, body)
			r.record(time.Since(due), ok, 1)
		})
	}
	wg.Wait()
	r.elapsed = time.Since(start)
	return r
}

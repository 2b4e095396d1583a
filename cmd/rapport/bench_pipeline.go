package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// pipelineConfig holds the flags of `rapport bench pipeline`.
type pipelineConfig struct {
	store       storeFlags
	urls        []string
	writeKey    string
	events      int
	batch       int
	concurrency int
	profiles    int
	rate        float64
	timeout     time.Duration
}

// benchPipeline measures a running deployment end to end: it sends events
// to the ingest processes named by --url and watches the store (--data or
// --postgres) until each is applied. It reports the acknowledged and the
// applied rate, and the lag between a batch's acknowledgement and the
// application of its last event (p50, p99).
func benchPipeline(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c pipelineConfig
	fs := flag.NewFlagSet("bench pipeline", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c.store.register(fs)
	urls := fs.String("url", "", "ingest processes to send to, comma-separated (required)")
	fs.StringVar(&c.writeKey, "write-key", os.Getenv("RAPPORT_WRITE_KEY"), "write key (env RAPPORT_WRITE_KEY)")
	fs.IntVar(&c.events, "events", 50_000, "events to send")
	fs.IntVar(&c.batch, "batch", 100, "events per request")
	fs.IntVar(&c.concurrency, "concurrency", 8, "concurrent clients")
	fs.IntVar(&c.profiles, "profiles", 10_000, "distinct users the events are spread over")
	fs.Float64Var(&c.rate, "rate", 0, "events per second to send at, spread over the clients (0: as fast as acknowledged); measure the lag below the applying capacity")
	fs.DurationVar(&c.timeout, "timeout", 10*time.Minute, "how long to wait for the events to be applied")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *urls == "" || c.writeKey == "" {
		return errors.New("bench pipeline: --url and --write-key are required")
	}
	if c.events < 1 || c.batch < 1 || c.concurrency < 1 || c.profiles < 1 {
		return errors.New("bench pipeline: --events, --batch, --concurrency and --profiles must be positive")
	}
	c.urls = strings.Split(*urls, ",")
	b, err := c.store.openStore(ctx)
	if err != nil {
		return err
	}
	defer b.Close()
	r, err := runPipeline(ctx, &c, b)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "events %d  acknowledged %.0f/s  applied %.0f/s (end to end)  lag p50 %s  p99 %s  (%d samples)\n",
		c.events, r.ackedRate, r.appliedRate, r.p50.Round(time.Millisecond), r.p99.Round(time.Millisecond), r.samples)
	return nil
}

// pipelineResult is what a pipeline run measured.
type pipelineResult struct {
	ackedRate, appliedRate float64
	p50, p99               time.Duration
	samples                int
}

// pipelineRun is a run in progress: the batches acknowledged and not yet
// seen applied, by their last messageId.
type pipelineRun struct {
	cfg     *pipelineConfig
	runID   string
	mu      sync.Mutex
	pending map[string]time.Time
	lags    []time.Duration
	lastAck time.Time
}

func runPipeline(ctx context.Context, c *pipelineConfig, b *backend) (*pipelineResult, error) {
	run := &pipelineRun{cfg: c, runID: fmt.Sprintf("%x", time.Now().UnixNano()), pending: map[string]time.Time{}}
	start := time.Now()
	sendDone := make(chan error, 1)
	go func() { sendDone <- run.send(ctx) }()
	var sent bool
	deadline := time.Now().Add(c.timeout)
	var lastApplied time.Time
	for {
		if !sent {
			select {
			case err := <-sendDone:
				if err != nil {
					return nil, err
				}
				sent = true
			default:
			}
		}
		n, at, err := run.poll(ctx, b)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			lastApplied = at
		}
		if sent && run.remaining() == 0 {
			break
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("bench pipeline: %d batches not applied within %s", run.remaining(), c.timeout)
		}
		time.Sleep(10 * time.Millisecond)
	}
	slices.Sort(run.lags)
	return &pipelineResult{
		ackedRate:   float64(c.events) / run.lastAck.Sub(start).Seconds(),
		appliedRate: float64(c.events) / lastApplied.Sub(start).Seconds(),
		p50:         run.lags[len(run.lags)/2],
		p99:         run.lags[min(len(run.lags)-1, len(run.lags)*99/100)],
		samples:     len(run.lags),
	}, nil
}

// send posts every batch from the clients, retrying a batch until it is
// acknowledged.
func (r *pipelineRun) send(ctx context.Context) error {
	batches := (r.cfg.events + r.cfg.batch - 1) / r.cfg.batch
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, r.cfg.concurrency)
	start := time.Now()
	for w := range r.cfg.concurrency {
		wg.Go(func() {
			client := &http.Client{Timeout: 30 * time.Second}
			for i := int(next.Add(1) - 1); i < batches && ctx.Err() == nil; i = int(next.Add(1) - 1) {
				if r.cfg.rate > 0 {
					// Batch i is due when the events before it are.
					due := start.Add(time.Duration(float64(i*r.cfg.batch) / r.cfg.rate * float64(time.Second)))
					time.Sleep(time.Until(due))
				}
				body, last := r.body(i)
				if err := r.post(ctx, client, r.cfg.urls[(i+w)%len(r.cfg.urls)], body); err != nil {
					errs <- err
					return
				}
				r.acked(last)
			}
		})
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// post sends one batch until it is acknowledged, giving up after a minute.
func (r *pipelineRun) post(ctx context.Context, client *http.Client, base, body string) error {
	giveUp := time.Now().Add(time.Minute)
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/v1/batch", strings.NewReader(body))
		if err != nil {
			return err
		}
		req.SetBasicAuth(r.cfg.writeKey, "")
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("status %d", resp.StatusCode)
		}
		if time.Now().After(giveUp) || ctx.Err() != nil {
			return fmt.Errorf("bench pipeline: post to %s: %w", base, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// body returns batch i and the messageId of its last event.
func (r *pipelineRun) body(i int) (string, string) {
	var sb strings.Builder
	sb.WriteString(`{"batch":[`)
	first, last := i*r.cfg.batch, min((i+1)*r.cfg.batch, r.cfg.events)
	var id string
	for n := first; n < last; n++ {
		if n > first {
			sb.WriteByte(',')
		}
		id = fmt.Sprintf("pl-%s-%d", r.runID, n)
		user := (n * 7919) % r.cfg.profiles
		fmt.Fprintf(&sb, `{"type":"track","messageId":%q,"userId":"bench-%d","event":"Product Viewed","properties":{"product_id":"p-%d","price":%d}}`,
			id, user, n%500, 5+n%95)
	}
	sb.WriteString(`]}`)
	return sb.String(), id
}

func (r *pipelineRun) acked(id string) {
	now := time.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pending[id] = now
	r.lastAck = now
}

func (r *pipelineRun) remaining() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.pending)
}

// poll asks the store which pending samples it holds, records their lags
// and returns how many it found, and when.
func (r *pipelineRun) poll(ctx context.Context, b *backend) (int, time.Time, error) {
	r.mu.Lock()
	ids := make([]string, 0, len(r.pending))
	for id := range r.pending {
		ids = append(ids, id)
		if len(ids) == 5000 {
			break
		}
	}
	r.mu.Unlock()
	if len(ids) == 0 {
		return 0, time.Time{}, nil
	}
	found, err := b.Store.FindMessageIDs(ctx, ids)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("bench pipeline: %w", err)
	}
	now := time.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for id := range found {
		if at, ok := r.pending[id]; ok {
			r.lags = append(r.lags, now.Sub(at))
			delete(r.pending, id)
			n++
		}
	}
	return n, now, nil
}

package webhook

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/rapportdev/rapport"
)

// Defaults of a Dispatcher's zero fields.
const (
	DefaultMaxAttempts  = 12
	DefaultWorkers      = 4
	DefaultPollInterval = 250 * time.Millisecond
	DefaultTimeout      = 10 * time.Second
	// batchSize bounds the due deliveries read at once.
	batchSize = 100
	// maxErrorLen bounds the error text kept in the delivery log.
	maxErrorLen = 500
)

// Dispatcher delivers the outbox. Set its fields before the first call;
// zero fields take the defaults. Within one process it never sends the
// same delivery twice, at once or from a read that listed it before its
// attempt was recorded; two processes dispatching one store would
// (at-least-once still holds), which is why only a process of role all,
// or the worker holding the "background" lease, runs one.
type Dispatcher struct {
	Store rapport.WebhookStore
	// Profiles answers the consent check of deliveries to webhooks that
	// require consent; nil sends them unchecked (as queued).
	Profiles ProfileFinder
	// Client sends the POSTs; nil means a client with a 10 s timeout that
	// does not follow redirects (a 3xx is a failed attempt).
	Client *http.Client
	// Clock stamps attempts and signatures; nil means the system clock.
	Clock  rapport.Clock
	Logger *slog.Logger
	// Backoff spaces retries; nil means DefaultBackoff.
	Backoff Backoff
	// MaxAttempts is how many attempts a delivery gets before it is
	// marked failed; zero means 12.
	MaxAttempts int
	// Workers is how many deliveries are in flight at most; zero means 4.
	Workers int
	// PollInterval is how often Run looks for due deliveries without a
	// Notify; zero means 250 ms.
	PollInterval time.Duration

	once     sync.Once
	wake     chan struct{}
	slots    chan struct{}
	mu       sync.Mutex
	inflight map[int64]bool
	// reads counts the reads of due deliveries started; done holds, for
	// each delivery recorded recently, the reads started by then. A read
	// started before a delivery was recorded may still list it as due: it
	// must not be sent again from that read.
	reads int64
	done  map[int64]int64
}

// ProfileFinder reads the profile a delivery is about, for its consent
// records, following merges to the profile that holds them now.
type ProfileFinder = rapport.MergeFinder

// init fills in the defaults once.
func (d *Dispatcher) init() {
	d.once.Do(func() {
		if d.Client == nil {
			d.Client = &http.Client{Timeout: DefaultTimeout,
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		}
		if d.Clock == nil {
			d.Clock = rapport.SystemClock{}
		}
		if d.Logger == nil {
			d.Logger = slog.New(slog.DiscardHandler)
		}
		if d.Backoff == nil {
			d.Backoff = DefaultBackoff
		}
		if d.MaxAttempts <= 0 {
			d.MaxAttempts = DefaultMaxAttempts
		}
		if d.Workers <= 0 {
			d.Workers = DefaultWorkers
		}
		if d.PollInterval <= 0 {
			d.PollInterval = DefaultPollInterval
		}
		d.wake = make(chan struct{}, 1)
		d.slots = make(chan struct{}, d.Workers)
		d.inflight = map[int64]bool{}
		d.done = map[int64]int64{}
	})
}

// Notify wakes Run to look for due deliveries now, without blocking: call
// it after committing notifications.
func (d *Dispatcher) Notify() {
	d.init()
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run delivers due deliveries until ctx is done, then waits for the
// attempts in flight and returns nil. A store error is logged and retried
// at the next poll: the outbox keeps every delivery meanwhile.
func (d *Dispatcher) Run(ctx context.Context) error {
	d.init()
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		n, err := d.dispatch(ctx, &wg)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			d.Logger.Error("webhook: find due deliveries", "err", err)
		}
		if n == batchSize {
			continue // more may be due
		}
		t := time.NewTimer(d.PollInterval)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-d.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// DeliverDue makes one attempt at every delivery due now and returns how
// many it attempted, once all are recorded.
func (d *Dispatcher) DeliverDue(ctx context.Context) (int, error) {
	d.init()
	var wg sync.WaitGroup
	n, err := d.dispatch(ctx, &wg)
	wg.Wait()
	return n, err
}

// dispatch starts an attempt at each due delivery not already in flight,
// at most Workers at once, and returns how many it started. wg counts the
// attempts until they are recorded.
func (d *Dispatcher) dispatch(ctx context.Context, wg *sync.WaitGroup) (int, error) {
	read := d.startRead()
	due, err := d.Store.FindDueDeliveries(ctx, d.Clock.Now(), batchSize)
	if err != nil || len(due) == 0 {
		return 0, err
	}
	hooks, err := d.webhooks(ctx)
	if err != nil {
		return 0, err
	}
	started := 0
	for i := range due {
		del := &due[i]
		if !d.claim(del.ID, read) {
			continue
		}
		select {
		case d.slots <- struct{}{}:
		case <-ctx.Done():
			d.release(del.ID)
			return started, nil
		}
		started++
		wg.Go(func() {
			defer func() { <-d.slots; d.finish(del.ID) }()
			d.attempt(ctx, del, hooks[del.WebhookID])
		})
	}
	return started, nil
}

// webhooks returns the webhooks by id.
func (d *Dispatcher) webhooks(ctx context.Context) (map[string]*rapport.Webhook, error) {
	list, err := d.Store.FindWebhooks(ctx)
	if err != nil {
		return nil, fmt.Errorf("find webhooks: %w", err)
	}
	hooks := make(map[string]*rapport.Webhook, len(list))
	for _, w := range list {
		hooks[w.ID] = w
	}
	return hooks, nil
}

// startRead numbers a read of due deliveries about to start, and forgets
// the deliveries recorded before it: this read and later ones see them as
// recorded.
func (d *Dispatcher) startRead() int64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.reads++
	for id, reads := range d.done {
		if reads < d.reads {
			delete(d.done, id)
		}
	}
	return d.reads
}

// claim marks a delivery in flight; false when it already is, or when it
// was recorded after the read that listed it started (that read's copy is
// stale: sending it would deliver it twice).
func (d *Dispatcher) claim(id, read int64) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if reads, ok := d.done[id]; d.inflight[id] || (ok && reads >= read) {
		return false
	}
	d.inflight[id] = true
	return true
}

// finish marks an attempted delivery no longer in flight and recorded.
func (d *Dispatcher) finish(id int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.inflight, id)
	d.done[id] = d.reads
}

// release marks a delivery no longer in flight.
func (d *Dispatcher) release(id int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.inflight, id)
}

package dashboard

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/rapportdev/rapport"
)

// DefaultPageWait is how long a page waits for a background computation
// before it shows the previous result (or says one is being made).
const DefaultPageWait = 300 * time.Millisecond

// computeTimeout bounds one background computation.
const computeTimeout = 10 * time.Minute

// refresher keeps the latest result of a computation too slow for a page
// (a count or a scan over every score or profile), and makes a new one in
// the background at most once per ttl, and never more often than every
// tenth of the time (one that took 20 s runs again after 200 s at the
// earliest), so that a busy dashboard cannot keep the store scanning.
type refresher[T any] struct {
	name    string
	ttl     time.Duration
	compute func(context.Context) (T, error)
	log     *slog.Logger
	clock   rapport.Clock

	mu      sync.Mutex
	latest  T
	running chan struct{} // closed when the computation under way ends; nil when none
	next    time.Time     // monotonic: no new computation before
	// earliest is when the latest computation allows another at all (ten
	// times its duration after it); expire moves next back to it.
	earliest time.Time
	started  time.Time // by clock: when the latest computation started
}

func newRefresher[T any](name string, ttl time.Duration, clock rapport.Clock, log *slog.Logger,
	compute func(context.Context) (T, error)) *refresher[T] {
	return &refresher[T]{name: name, ttl: ttl, compute: compute, clock: clock, log: log}
}

// get returns the latest result, the zero T before the first one ends. It
// starts a computation when one is due and waits for it at most wait.
func (c *refresher[T]) get(ctx context.Context, wait time.Duration) T {
	c.mu.Lock()
	if c.running == nil && !time.Now().Before(c.next) {
		c.running = make(chan struct{})
		go c.run(c.running)
	}
	done := c.running
	c.mu.Unlock()
	if done != nil {
		select {
		case <-done:
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.latest
}

// run computes and closes done. A failure is logged: pages go on with the
// previous result, and the next computation is tried later.
func (c *refresher[T]) run(done chan struct{}) {
	start, started := time.Now(), c.clock.Now()
	ctx, cancel := context.WithTimeout(context.Background(), computeTimeout)
	defer cancel()
	v, err := c.compute(ctx)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.next = time.Now().Add(max(c.ttl, 10*time.Since(start)))
	c.earliest = time.Now().Add(10 * time.Since(start))
	c.running = nil
	close(done)
	if err != nil {
		c.log.Warn("dashboard: "+c.name, "err", err)
		return
	}
	c.latest, c.started = v, started
}

// expireBefore lets the next get start a computation before the ttl is
// over (though not sooner than ten times the last one's duration after
// it) when the latest result was started before t: what it read has
// changed since.
func (c *refresher[T]) expireBefore(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.running == nil && !c.started.IsZero() && c.started.Before(t) && c.earliest.Before(c.next) {
		c.next = c.earliest
	}
}

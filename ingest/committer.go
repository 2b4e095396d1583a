// Package ingest turns many small, concurrent appends into few large ones.
//
// Its Committer implements group commit in front of a rapport.EventLog:
// every request that arrives while the log is busy waits in a bounded queue,
// and the next write takes all of them at once in a single Append
// call, so the cost of a durable commit (an fsync) is shared by every
// request of the group instead of being paid by each.
package ingest

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/rapportdev/rapport"
)

// Defaults for Options fields left zero.
const (
	DefaultMaxBatch = 5000
	DefaultMaxQueue = 50000
)

// Options tune a Committer. Zero fields take the defaults.
type Options struct {
	// MaxBatch bounds the events merged into one Append call. A
	// single request larger than MaxBatch is written alone, never split.
	MaxBatch int
	// MaxQueue bounds the events waiting for a write. An Append that would
	// exceed it fails at once with EOVERLOADED.
	MaxQueue int
	// OnAppend, when set, is called after each group is durably appended,
	// from the committer's goroutine; it must not block for long.
	OnAppend func()
}

func (o Options) withDefaults() Options {
	if o.MaxBatch <= 0 {
		o.MaxBatch = DefaultMaxBatch
	}
	if o.MaxQueue <= 0 {
		o.MaxQueue = DefaultMaxQueue
	}
	return o
}

// Committer appends events to a log with group commit. It is safe for
// concurrent use. Create it with NewCommitter and stop it with Close.
type Committer struct {
	log  rapport.EventLog
	opts Options

	mu      sync.Mutex
	queue   []*waiter
	depth   int // events in queue
	closed  bool
	wake    chan struct{} // capacity 1: "the queue may have work"
	stopped chan struct{} // closed when the loop has drained and exited
	once    sync.Once
	// lastSeq is the Seq of the last event this committer appended.
	lastSeq atomic.Int64
}

// waiter is one Append call waiting for its group to be written.
type waiter struct {
	events []rapport.Event
	done   chan error // capacity 1, so the loop never blocks on a caller
}

// NewCommitter starts a committer writing to log.
func NewCommitter(log rapport.EventLog, opts Options) *Committer {
	c := &Committer{
		log:     log,
		opts:    opts.withDefaults(),
		wake:    make(chan struct{}, 1),
		stopped: make(chan struct{}),
	}
	go c.loop()
	return c
}

// Append queues events for the next group and blocks until the group is
// durably in the log or has failed.
//
// It fails at once with EOVERLOADED when the queue is full or the committer
// is closed, and with EINVALID when events alone exceed the queue. When ctx
// ends first it returns the context's error; the events may still be
// written, which is harmless since a retry with the same messageIds is
// applied once.
func (c *Committer) Append(ctx context.Context, events []rapport.Event) error {
	if len(events) == 0 {
		return nil
	}
	w, err := c.enqueue(events)
	if err != nil {
		return err
	}
	select {
	case err := <-w.done:
		return err
	case <-ctx.Done():
		c.withdraw(w)
		return fmt.Errorf("append events: %w", ctx.Err())
	}
}

// enqueue adds a waiter for events, or refuses them.
func (c *Committer) enqueue(events []rapport.Event) (*waiter, error) {
	if len(events) > c.opts.MaxQueue {
		return nil, rapport.Errorf(rapport.EINVALID, "%d events exceed the ingest queue of %d", len(events), c.opts.MaxQueue)
	}
	w := &waiter{events: events, done: make(chan error, 1)}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.closed:
		return nil, rapport.Errorf(rapport.EOVERLOADED, "ingest is shutting down")
	case c.depth+len(events) > c.opts.MaxQueue:
		return nil, rapport.Errorf(rapport.EOVERLOADED, "ingest queue is full (%d events waiting)", c.depth)
	}
	c.queue = append(c.queue, w)
	c.depth += len(events)
	select {
	case c.wake <- struct{}{}:
	default: // the loop is already due to look
	}
	return w, nil
}

// withdraw removes w from the queue if the loop has not taken it yet, so a
// caller that gave up does not keep queue space.
func (c *Committer) withdraw(w *waiter) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, q := range c.queue {
		if q == w {
			c.queue = append(c.queue[:i], c.queue[i+1:]...)
			c.depth -= len(w.events)
			return
		}
	}
}

// LastSeq returns the log Seq of the last event this committer appended,
// 0 before the first. Against the processor's checkpoint it tells how far
// applying lags behind acknowledging.
func (c *Committer) LastSeq() int64 { return c.lastSeq.Load() }

// Depth returns the number of events waiting for a write.
func (c *Committer) Depth() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.depth
}

// Close stops accepting events, waits until everything already queued is
// written (or has failed), and returns. It is safe to call more than once.
func (c *Committer) Close() error {
	c.once.Do(func() {
		c.mu.Lock()
		c.closed = true
		c.mu.Unlock()
		select {
		case c.wake <- struct{}{}:
		default:
		}
	})
	<-c.stopped
	return nil
}

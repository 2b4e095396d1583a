package ingest

import (
	"context"
	"fmt"

	"github.com/rapportdev/rapport"
)

// loop writes one group at a time until the committer is closed and its
// queue is empty.
func (c *Committer) loop() {
	defer close(c.stopped)
	var buf []rapport.Event
	for {
		group, ok := c.next()
		if !ok {
			return
		}
		buf = c.commit(buf[:0], group)
	}
}

// next waits for queued work and takes a group of it: whole waiters, in
// arrival order, up to MaxBatch events (at least one waiter). It reports
// false when the committer is closed and drained.
func (c *Committer) next() ([]*waiter, bool) {
	for {
		c.mu.Lock()
		if len(c.queue) > 0 {
			group := c.take()
			c.mu.Unlock()
			return group, true
		}
		closed := c.closed
		c.mu.Unlock()
		if closed {
			return nil, false
		}
		<-c.wake
	}
}

// take removes the next group from the queue. The caller holds c.mu.
func (c *Committer) take() []*waiter {
	n, events := 0, 0
	for n < len(c.queue) {
		size := len(c.queue[n].events)
		if n > 0 && events+size > c.opts.MaxBatch {
			break
		}
		n++
		events += size
	}
	group := make([]*waiter, n)
	copy(group, c.queue)
	// Shift rather than reslice so the backing array does not grow
	// without bound under steady load.
	rest := copy(c.queue, c.queue[n:])
	clear(c.queue[rest:])
	c.queue = c.queue[:rest]
	c.depth -= events
	return group
}

// commit writes the group's events in one Append call and answers every
// waiter. buf is reused between groups to spare allocations; the grown
// buffer is returned.
func (c *Committer) commit(buf []rapport.Event, group []*waiter) []rapport.Event {
	for _, w := range group {
		buf = append(buf, w.events...)
	}
	err := c.log.Append(context.Background(), buf)
	if err != nil {
		err = fmt.Errorf("append events: %w", err)
	} else if n := len(buf); n > 0 {
		c.lastSeq.Store(buf[n-1].Seq)
	}
	for _, w := range group {
		w.done <- err
	}
	clear(buf) // drop references to the events' maps
	if err == nil && c.opts.OnAppend != nil {
		c.opts.OnAppend()
	}
	return buf
}

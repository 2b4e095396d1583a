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

// commit writes the group's events in one AppendEvents call and answers
// every waiter. buf is reused between groups to spare allocations; the
// grown buffer is returned.
//
// Each waiter is told how many of its own events were new. The log sets
// Seq on the events it newly appends, so commit counts the Seqs set in each
// waiter's range. A log that does not write Seqs back gives a total that
// disagrees with the count; each waiter is then told len(events): accepted,
// possibly as duplicates.
func (c *Committer) commit(buf []rapport.Event, group []*waiter) []rapport.Event {
	for _, w := range group {
		start := len(buf)
		buf = append(buf, w.events...)
		for i := start; i < len(buf); i++ {
			buf[i].Seq = 0 // so a set Seq means "new in this group"
		}
	}
	total, err := c.log.AppendEvents(context.Background(), buf)
	if err != nil {
		err = fmt.Errorf("append events: %w", err)
		for _, w := range group {
			w.done <- result{err: err}
		}
		clear(buf) // drop references to the events' maps
		return buf
	}
	counts, sum := countNew(buf, group)
	for i, w := range group {
		n := counts[i]
		if sum != total {
			n = len(w.events)
		}
		w.done <- result{appended: n}
	}
	clear(buf)
	if c.opts.OnAppend != nil {
		c.opts.OnAppend()
	}
	return buf
}

// countNew counts, per waiter, the events of buf that received a Seq, and
// their sum.
func countNew(buf []rapport.Event, group []*waiter) ([]int, int) {
	counts := make([]int, len(group))
	sum, at := 0, 0
	for i, w := range group {
		for _, ev := range buf[at : at+len(w.events)] {
			if ev.Seq != 0 {
				counts[i]++
			}
		}
		sum += counts[i]
		at += len(w.events)
	}
	return counts, sum
}

package sqlite

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/rapportdev/rapport"
)

// Event bodies are the whole event as JSON, without Seq: the seq is the
// row's key. The log and the events table store the same body.

// parallelMin is the fewest events worth a goroutine of their own:
// encoding and decoding are most of an append's and a read's CPU time,
// one event costs several microseconds and a goroutine about one.
const parallelMin = 50

// inParallel calls fn(lo, hi) on consecutive ranges covering [0, n), on
// up to GOMAXPROCS goroutines, and joins the errors.
func inParallel(n int, fn func(lo, hi int) error) error {
	workers := max(1, min(runtime.GOMAXPROCS(0), (n+parallelMin-1)/parallelMin))
	if workers == 1 {
		return fn(0, n)
	}
	per := (n + workers - 1) / workers
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() { errs[w] = fn(w*per, min((w+1)*per, n)) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// encodeBodies returns the JSON body of each event. The bodies of one
// goroutine share one buffer, so a batch costs a few allocations rather
// than one per event.
func encodeBodies(events []rapport.Event) ([][]byte, error) {
	bodies := make([][]byte, len(events))
	err := inParallel(len(events), func(lo, hi int) error {
		var buf bytes.Buffer
		buf.Grow((hi - lo) * 512)
		enc := json.NewEncoder(&buf)
		ends := make([]int, 0, hi-lo)
		for i := lo; i < hi; i++ {
			c := events[i]
			c.Seq = 0
			if err := enc.Encode(&c); err != nil {
				return fmt.Errorf("encode event %q: %w", events[i].MessageID, err)
			}
			buf.Truncate(buf.Len() - 1) // Encode's newline
			ends = append(ends, buf.Len())
		}
		// Slice only now: the buffer may have moved while growing.
		all, start := buf.Bytes(), 0
		for j, end := range ends {
			bodies[lo+j] = all[start:end:end]
			start = end
		}
		return nil
	})
	return bodies, err
}

// decodeBodies rebuilds the events of (seq, body) rows, in parallel for
// large reads.
func decodeBodies(seqs []int64, bodies [][]byte) ([]rapport.Event, error) {
	events := make([]rapport.Event, len(seqs))
	err := inParallel(len(seqs), func(lo, hi int) error {
		for i := lo; i < hi; i++ {
			if err := decodeEvent(&events[i], seqs[i], bodies[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return events, nil
}

// decodeEvent rebuilds a stored event into e, with its times in UTC.
func decodeEvent(e *rapport.Event, seq int64, body []byte) error {
	if err := json.Unmarshal(body, e); err != nil {
		return fmt.Errorf("decode event %d: %w", seq, err)
	}
	e.Seq = seq
	e.Timestamp = e.Timestamp.UTC()
	e.OriginalTimestamp = e.OriginalTimestamp.UTC()
	e.SentAt = e.SentAt.UTC()
	e.ReceivedAt = e.ReceivedAt.UTC()
	return nil
}

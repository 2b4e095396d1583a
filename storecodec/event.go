package storecodec

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"sync"

	json "github.com/goccy/go-json"
	"github.com/rapportdev/rapport"
)

// Workers says how many goroutines a batch may use.
type Workers int

const (
	// Serial keeps the work on the calling goroutine: for background
	// work (the processor), which must not take both cores of a small
	// machine away from request handling.
	Serial Workers = 1
	// Parallel spreads large batches over every CPU: for the
	// acknowledgement path, where the client is waiting.
	Parallel Workers = 0
)

// parallelMin is the batch size from which Parallel splits the work: a
// goroutine costs about as much as one event.
const parallelMin = 128

// split calls fn(lo, hi) on consecutive ranges covering [0, n) and joins
// the errors.
func split(n int, w Workers, fn func(lo, hi int) error) error {
	workers := int(w)
	if w == Parallel {
		workers = max(1, min(runtime.GOMAXPROCS(0), n/parallelMin))
	}
	if workers <= 1 {
		return fn(0, n)
	}
	per := (n + workers - 1) / workers
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() { errs[i] = fn(i*per, min((i+1)*per, n)) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// EncodeEvents returns the JSON body of each event, without its Seq (the
// seq is the row's key). The bodies of one goroutine share one buffer, so
// a batch costs a few allocations rather than one per event.
func EncodeEvents(events []rapport.Event, w Workers) ([][]byte, error) {
	bodies := make([][]byte, len(events))
	err := split(len(events), w, func(lo, hi int) error {
		var buf bytes.Buffer
		buf.Grow((hi - lo) * 512)
		ends := make([]int, 0, hi-lo)
		for i := lo; i < hi; i++ {
			c := events[i]
			c.Seq = 0
			b, err := json.Marshal(&c)
			if err != nil {
				return fmt.Errorf("encode event %q: %w", events[i].MessageID, err)
			}
			buf.Write(b)
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

// DecodeEvents rebuilds the events of (seq, body) rows, with their times
// in UTC.
func DecodeEvents(seqs []int64, bodies [][]byte, w Workers) ([]rapport.Event, error) {
	events := make([]rapport.Event, len(seqs))
	err := split(len(seqs), w, func(lo, hi int) error {
		for i := lo; i < hi; i++ {
			if err := decode(&events[i], seqs[i], bodies[i]); err != nil {
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

// DecodeEvent rebuilds one stored event, with its times in UTC.
func DecodeEvent(seq int64, body []byte) (rapport.Event, error) {
	var e rapport.Event
	err := decode(&e, seq, body)
	return e, err
}

// decode rebuilds a stored event into e, with its times in UTC.
func decode(e *rapport.Event, seq int64, body []byte) error {
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

package processor_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/processor"
)

// checkedLog fails the test when a trim would remove an event the store
// has not applied, and records the trims.
type checkedLog struct {
	rapport.EventLog
	t     testing.TB
	store rapport.ProfileStore
	fail  bool

	mu    sync.Mutex
	trims []int64
}

var errTrim = errors.New("log is busy")

func (c *checkedLog) Trim(ctx context.Context, upTo int64) error {
	// The store's checkpoint only grows: one read before the trim is a
	// fair bound.
	if cp, err := c.store.Checkpoint(ctx); err != nil {
		c.t.Errorf("read checkpoint: %v", err)
	} else if upTo > cp {
		c.t.Errorf("trim up to %d, past the store's checkpoint %d", upTo, cp)
	}
	c.mu.Lock()
	c.trims = append(c.trims, upTo)
	c.mu.Unlock()
	if c.fail {
		return errTrim
	}
	return c.EventLog.Trim(ctx, upTo)
}

func TestTrimRemovesAppliedEvents(t *testing.T) {
	tests := []struct {
		name   string
		retain int64
		trims  []int64
		left   int
	}{
		{"everything applied", 0, []int64{3, 6, 9, 10}, 0},
		{"retaining four", 4, []int64{2, 5, 6}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, s, _ := newStores(t)
			checked := &checkedLog{EventLog: l, t: t, store: s}
			appendEvents(t, l, traffic(2, 10)...)
			p := newProcessor(checked, s, processor.Options{
				BatchSize: 3, MaxBatchSize: 3, TrimInterval: time.Nanosecond, Retain: tt.retain,
			})
			catchUp(t, p)
			if !slices.Equal(checked.trims, tt.trims) {
				t.Errorf("trims = %v, want %v", checked.trims, tt.trims)
			}
			left := logged(t, l)
			if len(left) != tt.left || (len(left) > 0 && left[len(left)-1].Seq != 10) {
				t.Errorf("log holds %d events, want the last %d", len(left), tt.left)
			}
		})
	}
}

func TestTrimAtMostEveryInterval(t *testing.T) {
	l, s, _ := newStores(t)
	checked := &checkedLog{EventLog: l, t: t, store: s}
	appendEvents(t, l, traffic(2, 10)...)
	p := newProcessor(checked, s, processor.Options{BatchSize: 2, MaxBatchSize: 2, TrimInterval: time.Hour})
	catchUp(t, p)
	if !slices.Equal(checked.trims, []int64{2}) {
		t.Errorf("trims = %v, want only the first batch's", checked.trims)
	}
	if left := logged(t, l); len(left) != 8 {
		t.Errorf("log holds %d events, want 8", len(left))
	}
}

func TestTrimFailureIsNotFatal(t *testing.T) {
	l, s, _ := newStores(t)
	checked := &checkedLog{EventLog: l, t: t, store: s, fail: true}
	appendEvents(t, l, traffic(2, 10)...)
	p := newProcessor(checked, s, processor.Options{BatchSize: 2, MaxBatchSize: 2, TrimInterval: time.Nanosecond})
	if n := catchUp(t, p); n != 10 {
		t.Errorf("caught up over %d events, want 10", n)
	}
	if len(checked.trims) == 0 {
		t.Error("no trim was tried")
	}
}

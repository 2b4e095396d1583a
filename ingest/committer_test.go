package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/ingest"
	"github.com/rapportdev/rapport/sqlite"
)

// openLog opens a fresh SQLite event log, closed when the test ends.
func openLog(t testing.TB) *sqlite.Log {
	t.Helper()
	l, err := sqlite.OpenLog(context.Background(), filepath.Join(t.TempDir(), "log.db"))
	if err != nil {
		t.Fatalf("open log: %v", err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// countingLog wraps an EventLog and counts Append calls.
type countingLog struct {
	rapport.EventLog
	calls atomic.Int64
}

func (l *countingLog) Append(ctx context.Context, events []rapport.Event) error {
	l.calls.Add(1)
	return l.EventLog.Append(ctx, events)
}

// blockingLog holds every Append until release is closed, then returns
// err (or appends nothing).
type blockingLog struct {
	rapport.EventLog
	entered chan struct{}
	release chan struct{}
	err     error
}

func newBlockingLog(err error) *blockingLog {
	return &blockingLog{entered: make(chan struct{}, 100), release: make(chan struct{}), err: err}
}

func (l *blockingLog) Append(ctx context.Context, events []rapport.Event) error {
	l.entered <- struct{}{}
	<-l.release
	return l.err
}

// makeEvents returns n valid track events with ids prefix-0, prefix-1, ...
func makeEvents(prefix string, n int) []rapport.Event {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	events := make([]rapport.Event, n)
	for i := range events {
		events[i] = rapport.Event{
			MessageID:   fmt.Sprintf("%s-%d", prefix, i),
			Type:        rapport.EventTrack,
			AnonymousID: "anon-" + prefix,
			Event:       "Product Viewed",
			Properties:  map[string]any{"sku": "SKU-1", "price": 12.5},
			Timestamp:   now,
			ReceivedAt:  now,
		}
	}
	return events
}

// readAll returns every event in the log.
func readAll(t *testing.T, log rapport.EventLog) []rapport.Event {
	t.Helper()
	var all []rapport.Event
	for after := int64(0); ; {
		page, err := log.Read(context.Background(), after, 1000)
		if err != nil {
			t.Fatalf("read events: %v", err)
		}
		if len(page) == 0 {
			return all
		}
		all = append(all, page...)
		after = page[len(page)-1].Seq
	}
}

func TestCommitterGroupsConcurrentAppends(t *testing.T) {
	log := &countingLog{EventLog: openLog(t)}
	var notified atomic.Int64
	c := ingest.NewCommitter(log, ingest.Options{OnAppend: func() { notified.Add(1) }})
	defer c.Close()

	const writers, perWriter = 64, 10
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Go(func() {
			if err := c.Append(context.Background(), makeEvents(fmt.Sprintf("w%d", w), perWriter)); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := len(readAll(t, log)); got != writers*perWriter {
		t.Errorf("stored %d events, want %d", got, writers*perWriter)
	}
	calls := log.calls.Load()
	if calls >= writers {
		t.Errorf("Append called %d times for %d writers, want fewer (grouped)", calls, writers)
	}
	if got := notified.Load(); got != calls {
		t.Errorf("OnAppend called %d times, want %d (once per group)", got, calls)
	}
	t.Logf("%d appends grouped into %d log appends", writers, calls)
}

func TestCommitterSetsSeqsInOrder(t *testing.T) {
	log := openLog(t)
	c := ingest.NewCommitter(log, ingest.Options{})
	defer c.Close()
	ctx := context.Background()
	// A retried batch is appended again: the log does not deduplicate,
	// the processor applies each messageId once.
	for _, events := range [][]rapport.Event{makeEvents("a", 5), makeEvents("a", 5), nil} {
		if err := c.Append(ctx, events); err != nil {
			t.Fatalf("append: %v", err)
		}
	}
	all := readAll(t, log)
	if len(all) != 10 {
		t.Fatalf("log holds %d events, want 10", len(all))
	}
	if got, want := c.LastSeq(), all[len(all)-1].Seq; got != want {
		t.Errorf("LastSeq = %d, want %d (the last event appended)", got, want)
	}
	for i := 1; i < len(all); i++ {
		if all[i].Seq <= all[i-1].Seq {
			t.Errorf("seq %d after %d, want increasing", all[i].Seq, all[i-1].Seq)
		}
	}
}

func TestCommitterOverloaded(t *testing.T) {
	log := newBlockingLog(nil)
	c := ingest.NewCommitter(log, ingest.Options{MaxQueue: 10})
	defer c.Close()
	defer close(log.release)

	first := make(chan error, 1)
	go func() { err := c.Append(context.Background(), makeEvents("a", 4)); first <- err }()
	<-log.entered // the first group is being written; the queue is empty again

	queued := make(chan error, 1)
	go func() { err := c.Append(context.Background(), makeEvents("b", 8)); queued <- err }()
	waitDepth(t, c, 8)

	tests := []struct {
		name string
		n    int
		want string
	}{
		{"queue full", 3, rapport.EOVERLOADED},
		{"larger than the queue", 11, rapport.EINVALID},
	}
	for _, tt := range tests {
		start := time.Now()
		err := c.Append(context.Background(), makeEvents(tt.name, tt.n))
		if got := rapport.ErrorCode(err); got != tt.want {
			t.Errorf("%s: error code %q (%v), want %q", tt.name, got, err, tt.want)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s: refused after %v, want at once", tt.name, d)
		}
	}
}

func TestCommitterFailureReachesEveryWaiter(t *testing.T) {
	boom := errors.New("disk on fire")
	log := newBlockingLog(boom)
	c := ingest.NewCommitter(log, ingest.Options{})
	defer c.Close()

	errs := make(chan error, 10)
	go func() { err := c.Append(context.Background(), makeEvents("first", 1)); errs <- err }()
	<-log.entered
	for i := range 5 { // these queue behind the first group and form the second
		go func() { err := c.Append(context.Background(), makeEvents(fmt.Sprint(i), 2)); errs <- err }()
	}
	waitDepth(t, c, 10)
	close(log.release)
	for range 6 {
		if err := <-errs; !errors.Is(err, boom) {
			t.Errorf("waiter got %v, want %v", err, boom)
		}
	}
}

func TestCommitterCloseDrains(t *testing.T) {
	log := openLog(t)
	gate := &gatedLog{EventLog: log, gate: make(chan struct{})}
	c := ingest.NewCommitter(gate, ingest.Options{MaxBatch: 10})

	const writers = 20
	errs := make(chan error, writers)
	for w := range writers {
		go func() { err := c.Append(context.Background(), makeEvents(fmt.Sprint(w), 5)); errs <- err }()
	}
	// Every writer is queued or in the gated group before Close.
	deadline := time.Now().Add(5 * time.Second)
	for c.Depth()+int(gate.entered.Load()) < writers*5 {
		if time.Now().After(deadline) {
			t.Fatalf("queued %d + writing %d events, want %d", c.Depth(), gate.entered.Load(), writers*5)
		}
		time.Sleep(time.Millisecond)
	}
	closed := make(chan struct{})
	go func() { c.Close(); close(closed) }()
	waitClosed(t, c)
	close(gate.gate)
	<-closed
	for range writers {
		if err := <-errs; err != nil {
			t.Errorf("append before close: %v", err)
		}
	}
	if got := len(readAll(t, log)); got != writers*5 {
		t.Errorf("stored %d events after Close, want %d", got, writers*5)
	}
	err := c.Append(context.Background(), makeEvents("late", 1))
	if got := rapport.ErrorCode(err); got != rapport.EOVERLOADED {
		t.Errorf("append after close: code %q, want %q", got, rapport.EOVERLOADED)
	}
}

func TestCommitterContextCanceledWithdraws(t *testing.T) {
	log := newBlockingLog(nil)
	c := ingest.NewCommitter(log, ingest.Options{})
	defer c.Close()
	defer close(log.release)
	go c.Append(context.Background(), makeEvents("first", 1))
	<-log.entered

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	err := c.Append(ctx, makeEvents("second", 3))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("append with expired context: got %v, want %v", err, context.DeadlineExceeded)
	}
	if got := c.Depth(); got != 0 {
		t.Errorf("depth after withdrawal: got %d, want 0", got)
	}
}

// gatedLog holds Append until gate is closed.
type gatedLog struct {
	rapport.EventLog
	gate    chan struct{}
	entered atomic.Int64 // events of the groups waiting at the gate
}

func (l *gatedLog) Append(ctx context.Context, events []rapport.Event) error {
	l.entered.Add(int64(len(events)))
	<-l.gate
	return l.EventLog.Append(ctx, events)
}

// waitDepth waits until at least want events are queued.
func waitDepth(t *testing.T, c *ingest.Committer, want int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for c.Depth() < want {
		if time.Now().After(deadline) {
			t.Fatalf("queue depth %d, want %d", c.Depth(), want)
		}
		time.Sleep(time.Millisecond)
	}
}

// waitClosed waits until the committer refuses new events. It probes with
// an already cancelled context, so while the committer is open the probe is
// withdrawn at once and never written.
func waitClosed(t *testing.T, c *ingest.Committer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for {
		err := c.Append(ctx, makeEvents("probe", 1))
		if rapport.ErrorCode(err) == rapport.EOVERLOADED {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("committer still open after Close: %v", err)
		}
		time.Sleep(time.Millisecond)
	}
}

package processor_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/postgres"
	"github.com/rapportdev/rapport/processor"
)

// memLog is one partition of an in-memory partitioned log: seqs come from
// a counter the partitions share, as a stream's sequence does.
type memLog struct {
	mu      sync.Mutex
	seq     *atomic.Int64
	events  []rapport.Event
	trimmed int64
}

func (l *memLog) Append(_ context.Context, events []rapport.Event) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := range events {
		events[i].Seq = l.seq.Add(1)
		l.events = append(l.events, events[i])
	}
	return nil
}

func (l *memLog) Read(_ context.Context, after int64, limit int) ([]rapport.Event, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []rapport.Event
	for _, e := range l.events {
		if e.Seq > after && len(out) < limit {
			out = append(out, e)
		}
	}
	return out, nil
}

func (l *memLog) Trim(_ context.Context, upTo int64) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.trimmed = max(l.trimmed, upTo)
	kept := l.events[:0]
	for _, e := range l.events {
		if e.Seq > upTo {
			kept = append(kept, e)
		}
	}
	l.events = kept
	return nil
}

func (l *memLog) Close() error { return nil }

// partitionedStore returns a PostgreSQL store on a fresh schema with n
// partitions, all leased to worker "w", and their epochs.
func partitionedStore(t *testing.T, n int) (*postgres.Store, []int64) {
	t.Helper()
	dsn := os.Getenv("RAPPORT_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("RAPPORT_TEST_POSTGRES is not set: the partitioned processor is not tested")
	}
	ctx := context.Background()
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "rapport_proc_" + hex.EncodeToString(b[:])
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if c, err := pgx.Connect(context.Background(), dsn); err == nil {
			_, _ = c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			c.Close(context.Background())
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	s, err := postgres.Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.ConfigurePartitions(ctx, n); err != nil {
		t.Fatal(err)
	}
	epochs := make([]int64, n)
	for p := range n {
		e, ok, err := s.ClaimPartition(ctx, p, "w", time.Hour)
		if err != nil || !ok {
			t.Fatalf("claim %d: %v, %v", p, ok, err)
		}
		epochs[p] = e
	}
	return s, epochs
}

// TestMergeAcrossPartitions joins a known profile of partition 1 and an
// anonymous one of partition 0: the identify arrives on 1, is forwarded
// to 0, which hands its profile to 1 and forwards it back, and 1 merges.
func TestMergeAcrossPartitions(t *testing.T) {
	store, epochs := partitionedStore(t, 2)
	seq := &atomic.Int64{}
	logs := []*memLog{{seq: seq}, {seq: seq}}
	procs := make([]*processor.Processor, 2)
	for p := range procs {
		procs[p] = processor.New(logs[p], store, processor.Options{Linger: -1, TrimInterval: -1,
			Partition: &processor.Partition{ID: p, Owner: "w", Epoch: epochs[p], Store: store,
				Publish: func(ctx context.Context, fwds []rapport.Forward) error {
					for _, f := range fwds {
						if err := logs[f.To].Append(ctx, []rapport.Event{f.Event}); err != nil {
							return err
						}
					}
					return nil
				}}})
	}
	appendEvents(t, logs[1], withID(order("ann", "o1", 1, 30), "e1"))
	catchUp(t, procs[1])
	appendEvents(t, logs[0], withID(page("", "device", 2), "e2"), withID(page("", "device", 3), "e3"))
	catchUp(t, procs[0])
	appendEvents(t, logs[1], withID(identify("ann", "device", 4, map[string]any{"plan": "pro"}), "e4"))
	for _, p := range []int{1, 0, 1} { // forward to 0, hand off and forward back, merge
		catchUp(t, procs[p])
	}

	known := profileOf(t, store, rapport.IdentityUserID, "ann")
	anon := profileOf(t, store, rapport.IdentityAnonymousID, "device")
	if known.ID != anon.ID {
		t.Fatalf("userId and anonymousId held by %s and %s, want one profile", known.ID, anon.ID)
	}
	if got := known.Aggregates.PageViews; got != 2 {
		t.Errorf("page views = %d, want 2 (the anonymous profile's, merged)", got)
	}
	if got := known.Aggregates.Orders; got != 1 {
		t.Errorf("orders = %d, want 1", got)
	}
	if got := known.Traits["plan"]; got != "pro" {
		t.Errorf("trait plan = %v, want pro", got)
	}
	parts, err := store.FindProfilePartitions(context.Background(), []string{known.ID})
	if err != nil || parts[known.ID] != 1 {
		t.Fatalf("partition of the survivor: %v, %v; want 1", parts, err)
	}
	if got := len(storedEvents(t, store)); got != 4 {
		t.Errorf("%d events stored, want 4 (each once)", got)
	}
	for p := range 2 {
		if fwds, _ := store.FindForwards(context.Background(), p); len(fwds) != 0 {
			t.Errorf("partition %d left forwards unpublished: %+v", p, fwds)
		}
	}
}

// TestPartitionTrimsWhatItApplied checks that a partition's processor
// trims its log up to its partition's checkpoint (the log's own stays
// unset in a partitioned store), keeping Retain events.
func TestPartitionTrimsWhatItApplied(t *testing.T) {
	store, epochs := partitionedStore(t, 2)
	seq := &atomic.Int64{}
	logs := []*memLog{{seq: seq}, {seq: seq}}
	appendEvents(t, logs[1], withID(page("", "other", 1), "x1"))
	var events []rapport.Event
	for i := range 10 {
		events = append(events, withID(page("", "device", i+2), fmt.Sprintf("e%d", i)))
	}
	appendEvents(t, logs[0], events...)
	proc := processor.New(logs[0], store, processor.Options{Linger: -1, TrimInterval: time.Nanosecond, Retain: 3,
		Partition: &processor.Partition{ID: 0, Owner: "w", Epoch: epochs[0], Store: store,
			Publish: func(context.Context, []rapport.Forward) error { return nil }}})
	catchUp(t, proc)
	catchUp(t, proc) // trims after the batch that applied the events
	cp, err := store.PartitionCheckpoint(context.Background(), 0)
	if err != nil || cp != seq.Load() {
		t.Fatalf("partition 0 checkpoint %d, %v; want %d", cp, err, seq.Load())
	}
	logs[0].mu.Lock()
	defer logs[0].mu.Unlock()
	if logs[0].trimmed != cp-3 || len(logs[0].events) != 3 {
		t.Errorf("trimmed up to %d, %d events left; want up to %d, 3 left", logs[0].trimmed, len(logs[0].events), cp-3)
	}
}

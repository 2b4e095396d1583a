package processor_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/processor"
)

func TestRetriedMessageIsAppliedOnce(t *testing.T) {
	l, s, _ := newStores(t)
	retried := withID(page("u1", "", 0), "m1")
	// Batches of three: the first retry is in the batch of the original,
	// the second in the next batch.
	appendEvents(t, l, retried, withID(page("u1", "", 1), "m2"), retried)
	appendEvents(t, l, retried)
	p := newProcessor(l, s, processor.Options{BatchSize: 3, MaxBatchSize: 3})
	if n := catchUp(t, p); n != 4 {
		t.Errorf("caught up over %d events, want 4", n)
	}
	if got := user(t, s, "u1").Aggregates.PageViews; got != 2 {
		t.Errorf("page views = %d, want 2", got)
	}
	if p.Duplicates() != 2 || p.Applied() != 4 {
		t.Errorf("Duplicates, Applied = %d, %d, want 2, 4", p.Duplicates(), p.Applied())
	}
	stored := storedEvents(t, s)
	if len(stored) != 2 || stored[0].MessageID != "m1" || stored[0].Seq != 1 || stored[1].MessageID != "m2" {
		t.Errorf("stored events = %+v, want m1 at seq 1 and m2", stored)
	}
	if cp, err := s.Checkpoint(context.Background()); err != nil || cp != 4 {
		t.Errorf("checkpoint = %d, %v, want 4: past the duplicates", cp, err)
	}
}

func TestRetryAfterRestartIsSkipped(t *testing.T) {
	l, s, dir := newStores(t)
	appendEvents(t, l, withID(order("u1", "o1", 0, 10), "m1"))
	catchUp(t, newProcessor(l, s, processor.Options{}))
	closeAll(t, l, s)

	// The client did not see the acknowledgement and sends m1 again.
	l, s = openLog(t, dir), openStore(t, dir)
	p := newProcessor(l, s, processor.Options{})
	appendEvents(t, l, withID(order("u1", "o1", 0, 10), "m1"), withID(page("u1", "", 1), "m2"))
	if n := catchUp(t, p); n != 2 {
		t.Errorf("caught up over %d events, want 2", n)
	}
	a := user(t, s, "u1").Aggregates
	if a.Events[rapport.EventOrderCompleted] != 1 || a.PageViews != 1 {
		t.Errorf("order events, page views = %d, %d, want 1, 1", a.Events[rapport.EventOrderCompleted], a.PageViews)
	}
	if p.Duplicates() != 1 || p.Applied() != 3 {
		t.Errorf("Duplicates, Applied = %d, %d, want 1, 3", p.Duplicates(), p.Applied())
	}
	if got := storedEvents(t, s); len(got) != 2 {
		t.Errorf("stored %d events, want 2", len(got))
	}
}

func TestTwoProcessorsOnOneStore(t *testing.T) {
	const users, total = 20, 2000
	dir := t.TempDir()
	events := traffic(users, total)
	var entries []rapport.Event
	for i := range events {
		events[i].MessageID = fmt.Sprintf("m%d", i)
		entries = append(entries, events[i])
		if i%10 == 0 {
			entries = append(entries, events[i]) // retried at once
		}
	}
	for i := 0; i < total; i += 7 {
		entries = append(entries, events[i]) // retried much later
	}
	var procs []*processor.Processor
	for range 2 {
		l, s := openLog(t, dir), openStore(t, dir)
		checked := &checkedLog{EventLog: l, t: t, store: s}
		procs = append(procs, newProcessor(checked, s,
			processor.Options{BatchSize: 50, MaxBatchSize: 50, TrimInterval: time.Nanosecond}))
	}
	l, s := openLog(t, dir), openStore(t, dir)
	appendEvents(t, l, entries...)

	applied := make([]int, len(procs))
	errs := make([]error, len(procs))
	var wg sync.WaitGroup
	for i, p := range procs {
		wg.Go(func() { applied[i], errs[i] = p.CatchUp(context.Background()) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("processor %d: %v", i, err)
		}
	}
	if applied[0]+applied[1] != len(entries) {
		t.Errorf("caught up over %d + %d, want %d in all", applied[0], applied[1], len(entries))
	}
	if dups := procs[0].Duplicates() + procs[1].Duplicates(); dups != int64(len(entries)-total) {
		t.Errorf("duplicates = %d, want %d", dups, len(entries)-total)
	}
	for i := range users {
		if a := user(t, s, fmt.Sprintf("u%d", i)).Aggregates; a.PageViews != total/users {
			t.Errorf("u%d page views = %d, want %d", i, a.PageViews, total/users)
		}
	}
	if got := storedEvents(t, s); len(got) != total {
		t.Errorf("stored %d events, want %d", len(got), total)
	}
	if left := logged(t, l); len(left) != 0 {
		t.Errorf("log holds %d events after catching up, want 0", len(left))
	}
	t.Logf("caught up by each: %v", applied)
}

// TestEraseAppliesPendingEventsFirst erases a person whose latest event
// is acknowledged but not applied yet: it must not bring them back.
func TestEraseAppliesPendingEventsFirst(t *testing.T) {
	l, s, _ := newStores(t)
	p := newProcessor(l, s, processor.Options{})
	appendEvents(t, l, page("u1", "", 0))
	catchUp(t, p)
	erased := user(t, s, "u1")
	appendEvents(t, l, page("u1", "", 1)) // acknowledged, not applied
	receipt, err := p.Erase(context.Background(), erased.ID)
	if err != nil {
		t.Fatalf("erase profile: %v", err)
	}
	if receipt.Events != 2 {
		t.Errorf("erasure receipt counts %d events, want 2 (the pending one applied first)", receipt.Events)
	}
	catchUp(t, p)
	if _, err := s.FindProfileIDByIdentity(context.Background(), rapport.Identity{Kind: rapport.IdentityUserID, Value: "u1"}); rapport.ErrorCode(err) != rapport.ENOTFOUND {
		t.Errorf("after erasure and catching up, u1 resolves (err %v), want not found", err)
	}
}

func TestEraseForgetsTheCachedProfile(t *testing.T) {
	l, s, _ := newStores(t)
	p := newProcessor(l, s, processor.Options{})
	appendEvents(t, l, page("u1", "", 0), page("u1", "", 1))
	catchUp(t, p)
	erased := user(t, s, "u1")
	receipt, err := p.Erase(context.Background(), erased.ID)
	if err != nil {
		t.Fatalf("erase profile: %v", err)
	}
	if receipt.Events != 2 {
		t.Errorf("erasure receipt counts %d events, want 2", receipt.Events)
	}
	if left := logged(t, l); len(left) != 0 {
		t.Errorf("log holds %d events after the erasure, want 0 (trimmed)", len(left))
	}
	appendEvents(t, l, page("u1", "", 2))
	catchUp(t, p)
	if got := user(t, s, "u1"); got.ID == erased.ID || got.Aggregates.PageViews != 1 {
		t.Errorf("profile %s with %d page views, want a new one with 1", got.ID, got.Aggregates.PageViews)
	}
}

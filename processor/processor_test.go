package processor_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/processor"
)

func TestCatchUpAppliesEvents(t *testing.T) {
	l, s, _ := newStores(t)
	ctx := context.Background()
	appendEvents(t, l,
		page("", "a1", 0),
		identify("42", "a0", 1, map[string]any{"email": "Ann@Example.com", "plan": "pro"}),
		identify("42", "a1", 2, nil),
		order("42", "o1", 3, 25),
		rapport.Event{Type: rapport.EventGroup, UserID: "42", GroupID: "acme", Traits: map[string]any{"name": "Acme"}, Timestamp: at(4)},
	)
	var batches []rapport.Changes
	p := newProcessor(l, s, processor.Options{OnApplied: func(c rapport.Changes) { batches = append(batches, c) }})
	if n := catchUp(t, p); n != 5 {
		t.Errorf("applied = %d, want 5", n)
	}
	if cp, _ := s.Checkpoint(ctx); cp != 5 || p.Applied() != 5 {
		t.Errorf("checkpoint, Applied = %d, %d, want 5, 5", cp, p.Applied())
	}
	u := user(t, s, "42")
	if got := profileOf(t, s, rapport.IdentityEmail, "ann@example.com"); got.ID != u.ID {
		t.Errorf("email in %s, want %s", got.ID, u.ID)
	}
	if got := profileOf(t, s, rapport.IdentityAnonymousID, "a1"); got.ID != u.ID {
		t.Errorf("a1 in %s, want %s", got.ID, u.ID)
	}
	a := u.Aggregates
	if a.PageViews != 1 || a.Orders != 1 || a.Revenue != 25 || a.Events["identify"] != 2 {
		t.Errorf("aggregates = %+v, want 1 page view, 1 order of 25, 2 identifies", a)
	}
	if u.Traits["plan"] != "pro" || len(u.Groups) != 1 {
		t.Errorf("traits, groups = %v, %v, want plan pro, [acme]", u.Traits, u.Groups)
	}
	orders, err := s.FindOrders(ctx, u.ID)
	if err != nil || len(orders) != 1 || orders[0].OrderID != "o1" {
		t.Errorf("orders = %+v, %v, want o1", orders, err)
	}
	merges, err := s.FindMerges(ctx, u.ID)
	if err != nil || len(merges) != 1 || merges[0].Into != u.ID {
		t.Errorf("merges = %+v, %v, want one into %s", merges, err, u.ID)
	}
	if acc := profileOf(t, s, rapport.IdentityGroupID, "acme"); acc.Kind != rapport.ProfileAccount || acc.Traits["name"] != "Acme" {
		t.Errorf("account = %+v, want an account named Acme", acc)
	}
	if n := catchUp(t, p); n != 0 {
		t.Errorf("second catch up applied %d, want 0", n)
	}
	if len(batches) != 1 || batches[0].Checkpoint != 5 || len(batches[0].Merges) != 1 || len(batches[0].Events) != 5 {
		t.Errorf("OnApplied saw %d batches, want one up to 5 with the merge and 5 events", len(batches))
	}
	if len(batches) > 0 && len(batches[0].Notifications) != 0 {
		t.Errorf("batch queued %d notifications, want none: nothing emits them yet", len(batches[0].Notifications))
	}
	if got := storedEvents(t, s); len(got) != 5 || got[4].Seq != 5 {
		t.Errorf("stored %d events, want 5 with their log seqs", len(got))
	}
}

func TestBatchesAndCacheSizesAgree(t *testing.T) {
	tests := []struct {
		name string
		opts processor.Options
	}{
		{"defaults", processor.Options{}},
		{"small batches", processor.Options{BatchSize: 7, MaxBatchSize: 7}},
		{"growing batches", processor.Options{BatchSize: 3, MaxBatchSize: 50}},
		{"tiny cache", processor.Options{BatchSize: 5, MaxBatchSize: 5, CacheSize: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, s, _ := newStores(t)
			events := traffic(10, 200)
			for i := range 10 {
				events = append(events, order(fmt.Sprintf("u%d", i), "o", 100, 10), order(fmt.Sprintf("u%d", i), "o", 101, 10))
			}
			appendEvents(t, l, events...)
			if n := catchUp(t, newProcessor(l, s, tt.opts)); n != len(events) {
				t.Errorf("applied = %d, want %d", n, len(events))
			}
			for i := range 10 {
				a := user(t, s, fmt.Sprintf("u%d", i)).Aggregates
				if a.PageViews != 20 || a.Orders != 1 || a.Revenue != 10 || a.Sessions != 2 {
					t.Errorf("u%d: page views, orders, revenue, sessions = %d, %d, %v, %d, want 20, 1, 10, 2",
						i, a.PageViews, a.Orders, a.Revenue, a.Sessions)
				}
			}
		})
	}
}

func TestRestartAppliesNothingTwice(t *testing.T) {
	l, s, dir := newStores(t)
	appendEvents(t, l, page("u1", "", 0), order("u1", "o1", 1, 10))
	catchUp(t, newProcessor(l, s, processor.Options{}))
	closeAll(t, l, s)

	l, s = openLog(t, dir), openStore(t, dir)
	p := newProcessor(l, s, processor.Options{})
	appendEvents(t, l, page("u1", "", 2), order("u1", "o1", 3, 10), order("u1", "o2", 4, 5))
	if n := catchUp(t, p); n != 3 {
		t.Errorf("applied after restart = %d, want 3", n)
	}
	a := user(t, s, "u1").Aggregates
	if a.PageViews != 2 || a.Orders != 2 || a.Revenue != 15 || a.Events[rapport.EventOrderCompleted] != 3 {
		t.Errorf("aggregates = %+v, want 2 page views, 2 orders, revenue 15, 3 order events", a)
	}
	if p.Applied() != 5 {
		t.Errorf("Applied = %d, want 5", p.Applied())
	}
}

func TestRunFollowsTheLog(t *testing.T) {
	l, s, _ := newStores(t)
	p := newProcessor(l, s, processor.Options{PollInterval: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()

	for round := 1; round <= 3; round++ {
		appendEvents(t, l, page("u1", "", round))
		p.Notify()
		waitFor(t, func() bool { return p.Applied() == int64(round) })
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v, want nil after cancel", err)
	}
	if got := user(t, s, "u1").Aggregates.PageViews; got != 3 {
		t.Errorf("page views = %d, want 3", got)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// flakyStore fails chosen calls, to see the processor neither lose nor
// repeat events.
type flakyStore struct {
	rapport.Store
	failApply int // ApplyChanges calls left to fail
	poison    rapport.Identity
}

var errDisk = errors.New("disk on fire")

func (f *flakyStore) ApplyChanges(ctx context.Context, c rapport.Changes) error {
	if f.failApply > 0 {
		f.failApply--
		return errDisk
	}
	return f.Store.ApplyChanges(ctx, c)
}

func (f *flakyStore) FindProfileIDByIdentity(ctx context.Context, id rapport.Identity) (string, error) {
	if id == f.poison {
		return "", rapport.Errorf(rapport.EINVALID, "identity %s is not acceptable", id)
	}
	return f.Store.FindProfileIDByIdentity(ctx, id)
}

// FindProfileIDsByIdentities refuses a whole batch lookup that holds the
// poison identity, as a store refusing one value would.
func (f *flakyStore) FindProfileIDsByIdentities(ctx context.Context, ids []rapport.Identity) (map[rapport.Identity]string, error) {
	for _, id := range ids {
		if id == f.poison {
			return nil, rapport.Errorf(rapport.EINVALID, "identity %s is not acceptable", id)
		}
	}
	return f.Store.FindProfileIDsByIdentities(ctx, ids)
}

func TestStoreFailureLosesNothing(t *testing.T) {
	l, s, _ := newStores(t)
	f := &flakyStore{Store: s, failApply: 1}
	appendEvents(t, l, page("u1", "", 0), page("u1", "", 1))
	p := newProcessor(l, f, processor.Options{})
	if _, err := p.CatchUp(context.Background()); !errors.Is(err, errDisk) {
		t.Fatalf("catch up = %v, want %v", err, errDisk)
	}
	if p.Applied() != 0 {
		t.Errorf("Applied after failure = %d, want 0", p.Applied())
	}
	if n := catchUp(t, p); n != 2 {
		t.Errorf("applied on retry = %d, want 2", n)
	}
	if got := user(t, s, "u1").Aggregates.PageViews; got != 2 {
		t.Errorf("page views = %d, want 2", got)
	}
}

func TestRunRetriesAfterFailure(t *testing.T) {
	l, s, _ := newStores(t)
	f := &flakyStore{Store: s, failApply: 2}
	appendEvents(t, l, page("u1", "", 0))
	p := newProcessor(l, f, processor.Options{PollInterval: time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	waitFor(t, func() bool { return p.Applied() == 1 })
	cancel()
	<-done
	if got := user(t, s, "u1").Aggregates.PageViews; got != 1 {
		t.Errorf("page views = %d, want 1", got)
	}
}

func TestPoisonEventIsSkipped(t *testing.T) {
	l, s, _ := newStores(t)
	f := &flakyStore{Store: s, poison: rapport.Identity{Kind: rapport.IdentityUserID, Value: "bad"}}
	appendEvents(t, l, page("u1", "", 0), page("bad", "", 1), page("u1", "", 2))
	p := newProcessor(l, f, processor.Options{})
	if n := catchUp(t, p); n != 3 {
		t.Errorf("applied = %d, want 3 (one skipped)", n)
	}
	if p.Skipped() != 1 || p.Applied() != 3 {
		t.Errorf("Skipped, Applied = %d, %d, want 1, 3", p.Skipped(), p.Applied())
	}
	if got := user(t, s, "u1").Aggregates.PageViews; got != 2 {
		t.Errorf("page views = %d, want 2", got)
	}
	if got := storedEvents(t, s); len(got) != 2 {
		t.Errorf("stored %d events, want 2: a skipped event was not applied", len(got))
	}
}

func TestStaleProcessorFollowsConflict(t *testing.T) {
	l, s, _ := newStores(t)
	stale, fresh := newProcessor(l, s, processor.Options{}), newProcessor(l, s, processor.Options{})
	appendEvents(t, l, page("u1", "", 0))
	catchUp(t, stale)
	appendEvents(t, l, page("u1", "", 1))
	catchUp(t, fresh)
	appendEvents(t, l, page("u1", "", 2))
	if n := catchUp(t, stale); n != 1 {
		t.Errorf("stale processor applied %d, want 1 (the event the other one had not)", n)
	}
	if got := user(t, s, "u1").Aggregates.PageViews; got != 3 {
		t.Errorf("page views = %d, want 3", got)
	}
	if stale.Applied() != 3 {
		t.Errorf("Applied = %d, want 3", stale.Applied())
	}
}

func TestCachedMergeAcrossBatches(t *testing.T) {
	l, s, _ := newStores(t)
	ctx := context.Background()
	p := newProcessor(l, s, processor.Options{BatchSize: 1, MaxBatchSize: 1})
	appendEvents(t, l, page("", "a1", 0))
	catchUp(t, p)
	anon := profileOf(t, s, rapport.IdentityAnonymousID, "a1")
	appendEvents(t, l, identify("42", "a0", 1, nil), identify("42", "a1", 2, nil), page("", "a1", 3))
	catchUp(t, p)
	if _, err := s.FindProfileByID(ctx, anon.ID); rapport.ErrorCode(err) != rapport.ENOTFOUND {
		t.Errorf("merged profile %s: err = %v, want %s", anon.ID, err, rapport.ENOTFOUND)
	}
	u := user(t, s, "42")
	if got := profileOf(t, s, rapport.IdentityAnonymousID, "a1"); got.ID != u.ID {
		t.Errorf("a1 in %s, want %s", got.ID, u.ID)
	}
	if u.Aggregates.PageViews != 2 {
		t.Errorf("page views = %d, want 2", u.Aggregates.PageViews)
	}
}

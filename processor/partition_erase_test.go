package processor_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/postgres"
	"github.com/rapportdev/rapport/processor"
)

// TestEraseAtForgetsWhatTheProcessorHeld erases a profile between two
// batches of a partition's processor, at a control message after its
// event, and checks that the erasure runs only where the processor stands,
// that the checkpoint moves past the message, and that the person's next
// event makes a new profile instead of writing the erased one back from
// the cache (whose partition row the erasure leaves to this partition).
func TestEraseAtForgetsWhatTheProcessorHeld(t *testing.T) {
	ctx := context.Background()
	store, epochs := partitionedStore(t, 1)
	log := &memLog{seq: &atomic.Int64{}}
	proc := processor.New(log, store, processor.Options{Linger: -1, TrimInterval: -1,
		Partition: &processor.Partition{ID: 0, Owner: "w", Epoch: epochs[0], Store: store,
			Publish: func(context.Context, []rapport.Forward) error { return nil }}})
	if _, err := proc.Erase(ctx, "p_any"); rapport.ErrorCode(err) != rapport.ECONFLICT {
		t.Fatalf("Erase on a partition's processor: %v, want ECONFLICT", err)
	}
	appendEvents(t, log, withID(order("ann", "o1", 1, 30), "e1"))
	catchUp(t, proc)
	erased := profileOf(t, store, rapport.IdentityUserID, "ann")
	req, err := store.RequestErasure(ctx, erased.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	after := proc.Applied()
	control := log.seq.Add(1) // the control message's place in the log
	erase := func(ctx context.Context) error {
		_, _, err := store.ErasePartitioned(ctx, postgres.PartitionErasure{Request: req.ID,
			Partition: 0, Owner: "w", Epoch: epochs[0], Base: after, Checkpoint: control})
		return err
	}
	errNotHere := errors.New("erase ran where the processor does not stand")
	if ran, err := proc.EraseAt(ctx, after-1, control, func(context.Context) error { return errNotHere }); ran || err != nil {
		t.Fatalf("EraseAt behind the processor: ran %v, err %v; want nothing", ran, err)
	}
	if ran, err := proc.EraseAt(ctx, after, control, erase); !ran || err != nil {
		t.Fatalf("EraseAt: ran %v, err %v", ran, err)
	}
	if got := proc.Applied(); got != control {
		t.Fatalf("applied after the erasure: %d, want %d (the control message)", got, control)
	}
	if ran, err := proc.EraseAt(ctx, after, control, func(context.Context) error { return errNotHere }); ran || err != nil {
		t.Fatalf("EraseAt again: ran %v, err %v; want nothing", ran, err)
	}
	if cp, err := store.PartitionCheckpoint(ctx, 0); err != nil || cp != control {
		t.Fatalf("stored checkpoint: %d, %v; want %d", cp, err, control)
	}

	appendEvents(t, log, withID(page("ann", "", 5), "e2"))
	catchUp(t, proc)
	again := profileOf(t, store, rapport.IdentityUserID, "ann")
	if again.ID == erased.ID || again.Aggregates.Orders != 0 || again.Aggregates.PageViews != 1 {
		t.Fatalf("after the erasure the person is %s with %d orders and %d page views; want a new profile with the page only (erased: %s)",
			again.ID, again.Aggregates.Orders, again.Aggregates.PageViews, erased.ID)
	}
	if _, err := store.FindProfileByID(ctx, erased.ID); rapport.ErrorCode(err) != rapport.ENOTFOUND {
		t.Fatalf("erased profile: %v, want ENOTFOUND", err)
	}
}

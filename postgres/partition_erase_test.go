package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/postgres"
)

// TestErasePartitionedDeletesOnceUnderTheLease checks an erasure request
// from its recording to its receipt: a second request for the same profile
// is the same request; the erasure is fenced by the lease; it deletes the
// profile, its identity and its event and moves the checkpoint in one
// commit; a second copy of the control message changes nothing; and a
// stale batch of another partition cannot write the profile back.
func TestErasePartitionedDeletesOnceUnderTheLease(t *testing.T) {
	ctx := context.Background()
	s, e1, e2 := partitioned(t)
	if err := s.ApplyPartitionChanges(ctx, changesOf(0, "w1", e1, 0, 10, "p_a", "ann", "m1")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RequestErasure(ctx, "p_nobody", 0); rapport.ErrorCode(err) != rapport.ENOTFOUND {
		t.Fatalf("request for no profile: %v, want ENOTFOUND", err)
	}
	req, err := s.RequestErasure(ctx, "p_a", 3)
	if err != nil {
		t.Fatal(err)
	}
	if req.Partition != 0 || req.Hop != 0 || req.State != postgres.ErasurePending {
		t.Fatalf("request: %+v, want pending on partition 0 (the profile's, not the fallback)", req)
	}
	if again, err := s.RequestErasure(ctx, "p_a", 3); err != nil || again.ID != req.ID {
		t.Fatalf("second request: %+v, %v; want the pending one, %s", again, err, req.ID)
	}

	at := postgres.PartitionErasure{Request: req.ID, Partition: 0, Owner: "w1", Epoch: e1 + 1, Base: 10, Checkpoint: 11}
	if _, _, err := s.ErasePartitioned(ctx, at); !errors.Is(err, postgres.ErrLeaseLost) {
		t.Fatalf("erase under another epoch: %v, want ErrLeaseLost", err)
	}
	if _, err := s.FindProfileByID(ctx, "p_a"); err != nil {
		t.Fatalf("the refused erasure deleted: %v", err)
	}
	at.Epoch = e1
	got, acted, err := s.ErasePartitioned(ctx, at)
	if err != nil || !acted || got.State != postgres.ErasureErased || got.Receipt == nil {
		t.Fatalf("erase: %+v, acted %v, err %v; want erased", got, acted, err)
	}
	if r := got.Receipt; r.ProfileID != "p_a" || r.Events != 1 || fmt.Sprint(r.Identities) != fmt.Sprint([]rapport.Identity{{Kind: rapport.IdentityUserID, Value: "ann"}}) {
		t.Fatalf("receipt: %+v", r)
	}
	if _, err := s.FindProfileByID(ctx, "p_a"); rapport.ErrorCode(err) != rapport.ENOTFOUND {
		t.Fatalf("profile after the erasure: %v, want ENOTFOUND", err)
	}
	if _, err := s.FindProfileIDByIdentity(ctx, rapport.Identity{Kind: rapport.IdentityUserID, Value: "ann"}); rapport.ErrorCode(err) != rapport.ENOTFOUND {
		t.Fatalf("identity after the erasure: %v, want free", err)
	}
	if ids, err := s.FindMessageIDs(ctx, []string{"m1"}); err != nil || ids["m1"] {
		t.Fatalf("event after the erasure: %v, %v; want gone", ids, err)
	}
	if cp, err := s.PartitionCheckpoint(ctx, 0); err != nil || cp != 11 {
		t.Fatalf("checkpoint: %d, %v; want 11 (past the control message)", cp, err)
	}
	found, err := s.FindErasure(ctx, req.ID)
	if err != nil || found.State != postgres.ErasureErased || found.Receipt == nil || found.Receipt.Events != 1 {
		t.Fatalf("recorded: %+v, %v", found, err)
	}

	// A DELETE retried after the first gave up waiting gets the receipt.
	if retry, err := s.RequestErasure(ctx, "p_a", 3); err != nil || retry.ID != req.ID || retry.State != postgres.ErasureErased || retry.Receipt == nil {
		t.Fatalf("request after the erasure, before its receipt was read: %+v, %v; want the decided one", retry, err)
	}

	// A second copy of the message (a retry past the duplicate window).
	again := postgres.PartitionErasure{Request: req.ID, Partition: 0, Owner: "w1", Epoch: e1, Base: 11, Checkpoint: 15}
	if got, acted, err := s.ErasePartitioned(ctx, again); err != nil || acted || got.State != postgres.ErasureErased {
		t.Fatalf("second copy: %+v, acted %v, err %v; want nothing done", got, acted, err)
	}
	if cp, _ := s.PartitionCheckpoint(ctx, 0); cp != 15 {
		t.Fatalf("checkpoint after the second copy: %d, want 15", cp)
	}
	// Partition 1 with a stale copy of p_a cannot write it back.
	err = s.ApplyPartitionChanges(ctx, changesOf(1, "w2", e2, 0, 20, "p_a", "ann-2", "m2"))
	if rapport.ErrorCode(err) != rapport.ECONFLICT {
		t.Fatalf("another partition writing the erased profile: %v, want ECONFLICT", err)
	}

	if err := s.ForgetErasure(ctx, req.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindErasure(ctx, req.ID); rapport.ErrorCode(err) != rapport.ENOTFOUND {
		t.Fatalf("forgotten request: %v, want ENOTFOUND", err)
	}
}

// TestErasePartitionedFollowsTheProfile checks that a request reaching a
// partition the profile has been handed away from moves to the new
// owner, that the old message then changes nothing, that the new owner
// erases it, and that a request for a profile gone meanwhile is missing.
func TestErasePartitionedFollowsTheProfile(t *testing.T) {
	ctx := context.Background()
	s, e1, e2 := partitioned(t)
	if err := s.ApplyPartitionChanges(ctx, changesOf(0, "w1", e1, 0, 10, "p_a", "ann", "m1")); err != nil {
		t.Fatal(err)
	}
	req, err := s.RequestErasure(ctx, "p_a", 0)
	if err != nil {
		t.Fatal(err)
	}
	// The profile moves to partition 1 before partition 0 gets there.
	handoff := rapport.PartitionChanges{Changes: rapport.Changes{Base: 10, Checkpoint: 12},
		Partition: 0, Owner: "w1", Epoch: e1, Handoffs: []rapport.Handoff{{ProfileID: "p_a", To: 1}}}
	if err := s.ApplyPartitionChanges(ctx, handoff); err != nil {
		t.Fatal(err)
	}
	got, acted, err := s.ErasePartitioned(ctx, postgres.PartitionErasure{Request: req.ID, Hop: 0,
		Partition: 0, Owner: "w1", Epoch: e1, Base: 12, Checkpoint: 13})
	if err != nil || !acted || got.State != postgres.ErasurePending || got.Partition != 1 || got.Hop != 1 {
		t.Fatalf("at the old owner: %+v, acted %v, err %v; want pending on partition 1, hop 1", got, acted, err)
	}
	if _, err := s.FindProfileByID(ctx, "p_a"); err != nil {
		t.Fatalf("the old owner deleted: %v", err)
	}
	// The old owner's message again: stale.
	if _, acted, err := s.ErasePartitioned(ctx, postgres.PartitionErasure{Request: req.ID, Hop: 0,
		Partition: 0, Owner: "w1", Epoch: e1, Base: 13, Checkpoint: 14}); err != nil || acted {
		t.Fatalf("stale message: acted %v, err %v; want nothing done", acted, err)
	}
	got, acted, err = s.ErasePartitioned(ctx, postgres.PartitionErasure{Request: req.ID, Hop: 1,
		Partition: 1, Owner: "w2", Epoch: e2, Base: 0, Checkpoint: 14})
	if err != nil || !acted || got.State != postgres.ErasureErased {
		t.Fatalf("at the new owner: %+v, acted %v, err %v; want erased", got, acted, err)
	}
	if _, err := s.FindProfileByID(ctx, "p_a"); rapport.ErrorCode(err) != rapport.ENOTFOUND {
		t.Fatalf("profile after the erasure: %v, want ENOTFOUND", err)
	}

	// A profile gone before its partition gets there.
	if err := s.ApplyPartitionChanges(ctx, changesOf(1, "w2", e2, 14, 20, "p_b", "bob", "m2")); err != nil {
		t.Fatal(err)
	}
	req, err = s.RequestErasure(ctx, "p_b", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DeleteProfile(ctx, "p_b"); err != nil {
		t.Fatal(err)
	}
	got, acted, err = s.ErasePartitioned(ctx, postgres.PartitionErasure{Request: req.ID, Hop: 0,
		Partition: 1, Owner: "w2", Epoch: e2, Base: 20, Checkpoint: 21})
	if err != nil || !acted || got.State != postgres.ErasureMissing {
		t.Fatalf("gone meanwhile: %+v, acted %v, err %v; want missing", got, acted, err)
	}
}

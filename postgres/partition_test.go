package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/postgres"
)

// partitioned returns a fresh store with 4 partitions and worker "w1"
// holding partition 0 and "w2" partition 1, with their epochs.
func partitioned(t *testing.T) (*postgres.Store, int64, int64) {
	t.Helper()
	ctx := context.Background()
	s := openFresh(t)
	if err := s.ConfigurePartitions(ctx, 4); err != nil {
		t.Fatal(err)
	}
	e1, ok, err := s.ClaimPartition(ctx, 0, "w1", time.Minute)
	if err != nil || !ok {
		t.Fatalf("claim 0: ok %v, err %v", ok, err)
	}
	e2, ok, err := s.ClaimPartition(ctx, 1, "w2", time.Minute)
	if err != nil || !ok {
		t.Fatalf("claim 1: ok %v, err %v", ok, err)
	}
	return s, e1, e2
}

func userLink(v, profileID string) rapport.IdentityLink {
	return rapport.IdentityLink{Identity: rapport.Identity{Kind: rapport.IdentityUserID, Value: v}, ProfileID: profileID}
}

// changesOf returns a partition's changes creating a profile that holds
// one userId, whose event is seq.
func changesOf(part int, owner string, epoch, base, seq int64, profileID, user, messageID string) rapport.PartitionChanges {
	link := userLink(user, profileID)
	return rapport.PartitionChanges{
		Changes: rapport.Changes{
			Events:     []rapport.Event{{Seq: seq, MessageID: messageID, Type: rapport.EventIdentify, UserID: user, Timestamp: time.Unix(1, 0)}},
			Profiles:   []*rapport.Profile{{ID: profileID, Kind: rapport.ProfilePerson}},
			Identities: []rapport.IdentityLink{link},
			Base:       base, Checkpoint: seq,
		},
		Partition: part, Owner: owner, Epoch: epoch,
		Prev: map[rapport.Identity]string{link.Identity: ""},
	}
}

func TestConfigurePartitionsRefusesAnotherCount(t *testing.T) {
	ctx := context.Background()
	s := openFresh(t)
	if err := s.ConfigurePartitions(ctx, 8); err != nil {
		t.Fatal(err)
	}
	if err := s.ConfigurePartitions(ctx, 8); err != nil {
		t.Fatalf("same count again: %v", err)
	}
	err := s.ConfigurePartitions(ctx, 4)
	if rapport.ErrorCode(err) != rapport.ECONFLICT {
		t.Fatalf("another count: got %v, want a conflict", err)
	}
}

func TestPartitionWritesAreFencedByTheLease(t *testing.T) {
	ctx := context.Background()
	s, e1, _ := partitioned(t)
	if err := s.ApplyPartitionChanges(ctx, changesOf(0, "w1", e1, 0, 10, "p_a", "ann", "m1")); err != nil {
		t.Fatal(err)
	}
	if cp, err := s.PartitionCheckpoint(ctx, 0); err != nil || cp != 10 {
		t.Fatalf("checkpoint: got %d, %v, want 10", cp, err)
	}
	// Another worker takes the lease over (the first one paused past it).
	if err := s.ReleasePartition(ctx, 0, "w1", e1); err != nil {
		t.Fatal(err)
	}
	e3, ok, err := s.ClaimPartition(ctx, 0, "w3", time.Minute)
	if err != nil || !ok || e3 <= e1 {
		t.Fatalf("take over: epoch %d, ok %v, err %v", e3, ok, err)
	}
	err = s.ApplyPartitionChanges(ctx, changesOf(0, "w1", e1, 10, 11, "p_b", "bob", "m2"))
	if !errors.Is(err, postgres.ErrLeaseLost) {
		t.Fatalf("write of the old epoch: got %v, want ErrLeaseLost", err)
	}
	if renewed, err := s.RenewPartition(ctx, 0, "w1", e1, time.Minute); err != nil || renewed {
		t.Fatalf("renew of the old epoch: got %v, %v, want false", renewed, err)
	}
	if _, err := s.FindProfileByID(ctx, "p_b"); rapport.ErrorCode(err) != rapport.ENOTFOUND {
		t.Fatalf("fenced write left profile p_b: %v", err)
	}
	if err := s.ApplyPartitionChanges(ctx, changesOf(0, "w3", e3, 10, 11, "p_b", "bob", "m2")); err != nil {
		t.Fatalf("write of the new epoch: %v", err)
	}
}

func TestPartitionWritesConflictAcrossPartitions(t *testing.T) {
	ctx := context.Background()
	s, e1, e2 := partitioned(t)
	if err := s.ApplyPartitionChanges(ctx, changesOf(0, "w1", e1, 0, 10, "p_a", "ann", "m1")); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		pc   rapport.PartitionChanges
	}{
		// Partition 1 read "ann" as nobody's, but partition 0 linked it.
		{"identity claimed", changesOf(1, "w2", e2, 0, 11, "p_x", "ann", "m2")},
		// Partition 1 writes a profile of partition 0.
		{"profile of another partition", changesOf(1, "w2", e2, 0, 11, "p_a", "zed", "m3")},
		// A messageId partition 0 applied (a client retry routed elsewhere).
		{"event applied", changesOf(1, "w2", e2, 0, 11, "p_y", "yan", "m1")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := s.ApplyPartitionChanges(ctx, tt.pc)
			if rapport.ErrorCode(err) != rapport.ECONFLICT {
				t.Fatalf("got %v, want a conflict", err)
			}
			if cp, _ := s.PartitionCheckpoint(ctx, 1); cp != 0 {
				t.Fatalf("checkpoint of partition 1 moved to %d", cp)
			}
		})
	}
	if owner, err := s.FindProfileIDByIdentity(ctx, rapport.Identity{Kind: rapport.IdentityUserID, Value: "ann"}); err != nil || owner != "p_a" {
		t.Fatalf("ann held by %q, %v; want p_a", owner, err)
	}
}

func TestHandoffMovesAProfileAndStoresForwards(t *testing.T) {
	ctx := context.Background()
	s, e1, e2 := partitioned(t)
	if err := s.ApplyPartitionChanges(ctx, changesOf(0, "w1", e1, 0, 10, "p_a", "ann", "m1")); err != nil {
		t.Fatal(err)
	}
	fwd := rapport.Event{Seq: 12, MessageID: "m9", Type: rapport.EventTrack, Event: "Viewed", UserID: "ann", Timestamp: time.Unix(2, 0)}
	pc := rapport.PartitionChanges{Changes: rapport.Changes{Base: 10, Checkpoint: 12},
		Partition: 0, Owner: "w1", Epoch: e1,
		Handoffs: []rapport.Handoff{{ProfileID: "p_a", To: 1}},
		Forwards: []rapport.Forward{{Seq: 12, To: 1, Event: fwd}}}
	if err := s.ApplyPartitionChanges(ctx, pc); err != nil {
		t.Fatal(err)
	}
	parts, err := s.FindProfilePartitions(ctx, []string{"p_a"})
	if err != nil || parts["p_a"] != 1 {
		t.Fatalf("partition of p_a: %v, %v; want 1", parts, err)
	}
	fwds, err := s.FindForwards(ctx, 0)
	if err != nil || len(fwds) != 1 || fwds[0].To != 1 || fwds[0].Event.MessageID != "m9" {
		t.Fatalf("forwards: %+v, %v", fwds, err)
	}
	if err := s.DeleteForwards(ctx, 0, 12); err != nil {
		t.Fatal(err)
	}
	if fwds, _ := s.FindForwards(ctx, 0); len(fwds) != 0 {
		t.Fatalf("forwards after delete: %+v", fwds)
	}
	// Partition 1 now writes p_a; partition 0 no longer may.
	upd := rapport.PartitionChanges{Changes: rapport.Changes{Profiles: []*rapport.Profile{{ID: "p_a", Kind: rapport.ProfilePerson}},
		Base: 0, Checkpoint: 13}, Partition: 1, Owner: "w2", Epoch: e2}
	if err := s.ApplyPartitionChanges(ctx, upd); err != nil {
		t.Fatalf("new owner writes: %v", err)
	}
	upd.Partition, upd.Owner, upd.Epoch, upd.Base, upd.Checkpoint = 0, "w1", e1, 12, 14
	if err := s.ApplyPartitionChanges(ctx, upd); rapport.ErrorCode(err) != rapport.ECONFLICT {
		t.Fatalf("old owner writes: got %v, want a conflict", err)
	}
}

func TestLeasesAndWorkers(t *testing.T) {
	ctx := context.Background()
	s := openFresh(t)
	if live, err := s.Heartbeat(ctx, "w1", time.Minute); err != nil || live != 1 {
		t.Fatalf("heartbeat: %d, %v", live, err)
	}
	if live, _ := s.Heartbeat(ctx, "w2", time.Minute); live != 2 {
		t.Fatalf("two workers: got %d live", live)
	}
	if err := s.LeaveWorkers(ctx, "w2"); err != nil {
		t.Fatal(err)
	}
	if live, _ := s.Heartbeat(ctx, "w1", time.Minute); live != 1 {
		t.Fatalf("after leave: got %d live", live)
	}
	got, over, err := s.AcquireLease(ctx, "background", "w1", time.Minute)
	if err != nil || !got || over {
		t.Fatalf("acquire: held %v, taken over %v, %v; want held, not taken over", got, over, err)
	}
	if got, _, _ := s.AcquireLease(ctx, "background", "w2", time.Minute); got {
		t.Fatal("a second holder acquired a live lease")
	}
	if got, over, _ := s.AcquireLease(ctx, "background", "w1", time.Minute); !got || over {
		t.Fatalf("renew: held %v, taken over %v; want held, not taken over", got, over)
	}
	if err := s.ReleaseLease(ctx, "background", "w1"); err != nil {
		t.Fatal(err)
	}
	if got, over, _ := s.AcquireLease(ctx, "background", "w2", time.Millisecond); !got || over {
		t.Fatalf("after release: held %v, taken over %v; want held, not taken over", got, over)
	}
	time.Sleep(5 * time.Millisecond) // w2's lease of 1 ms runs out
	if got, over, _ := s.AcquireLease(ctx, "background", "w3", time.Minute); !got || !over {
		t.Fatalf("expired: held %v, taken over %v; want both", got, over)
	}
}

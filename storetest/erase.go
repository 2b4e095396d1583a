package storetest

import (
	"context"
	"testing"

	"github.com/rapportdev/rapport"
)

func testDeleteProfile(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	events := withSeqs(
		event("mine-1", "u1", "", at(1)), event("mine-2", "", "a1", at(2)), event("mine-3", "u1", "a1", at(3)),
		event("other", "u2", "", at(4)), event("merged", "", "a0", at(5)))
	apply(t, s, rapport.Changes{
		Events:   events,
		Profiles: []*rapport.Profile{person("gone"), person("keep"), person("old")},
		Identities: []rapport.IdentityLink{link(rapport.IdentityUserID, "u1", "gone"),
			link(rapport.IdentityAnonymousID, "a1", "gone"), link(rapport.IdentityEmail, "x@example.com", "gone"),
			link(rapport.IdentityUserID, "u2", "keep"), link(rapport.IdentityAnonymousID, "a0", "old")},
		Orders:     []rapport.Order{order("gone", "o1", at(1), 1), order("gone", "o2", at(2), 2), order("keep", "o3", at(3), 3)},
		Checkpoint: 5,
	})
	apply(t, s, rapport.Changes{Merges: []rapport.Merge{{From: "old", Into: "gone", At: at(6)}}, Base: 5, Checkpoint: 6})

	e, err := s.DeleteProfile(ctx, "gone")
	if err != nil {
		t.Fatalf("DeleteProfile: %v", err)
	}
	if e.ErasedAt.IsZero() || e.ErasedAt.Location().String() != "UTC" {
		t.Errorf("ErasedAt = %v, want a UTC time", e.ErasedAt)
	}
	e.ErasedAt = rapport.Erasure{}.ErasedAt
	equal(t, "erasure receipt", e, &rapport.Erasure{ProfileID: "gone", Events: 4, Orders: 2, Merges: 1,
		Identities: []rapport.Identity{{Kind: rapport.IdentityAnonymousID, Value: "a0"}, {Kind: rapport.IdentityAnonymousID, Value: "a1"},
			{Kind: rapport.IdentityEmail, Value: "x@example.com"}, {Kind: rapport.IdentityUserID, Value: "u1"}}})

	equal(t, "events left in the store", messageIDs(readEvents(t, s, 0, 100)), []string{"other"})
	_, err = s.FindProfileByID(ctx, "gone")
	wantCode(t, "FindProfileByID after erasure", err, rapport.ENOTFOUND)
	_, err = s.FindProfileIDByIdentity(ctx, rapport.Identity{Kind: rapport.IdentityEmail, Value: "x@example.com"})
	wantCode(t, "identity after erasure", err, rapport.ENOTFOUND)
	if orders, err := s.FindOrders(ctx, "gone"); err != nil || len(orders) != 0 {
		t.Fatalf("orders after erasure = %v, %v; want none", orders, err)
	}
	if merges, err := s.FindMerges(ctx, "old"); err != nil || len(merges) != 0 {
		t.Fatalf("merges after erasure = %v, %v; want none", merges, err)
	}
	if orders, err := s.FindOrders(ctx, "keep"); err != nil || len(orders) != 1 {
		t.Fatalf("other profile's orders = %v, %v; want its one order", orders, err)
	}
	_, err = s.DeleteProfile(ctx, "gone")
	wantCode(t, "DeleteProfile twice", err, rapport.ENOTFOUND)

}

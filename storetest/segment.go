package storetest

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/rapportdev/rapport"
)

func ruleSegment(id, expr string) *rapport.Segment {
	return &rapport.Segment{ID: id, Name: "Segment " + id, Kind: rapport.SegmentRule, Expression: expr,
		CreatedAt: at(1), UpdatedAt: at(1)}
}

func enter(seg, profile string, n int) rapport.MembershipChange {
	return rapport.MembershipChange{SegmentID: seg, ProfileID: profile, Entered: true, At: at(n)}
}

func leave(seg, profile string, n int) rapport.MembershipChange {
	return rapport.MembershipChange{SegmentID: seg, ProfileID: profile, At: at(n)}
}

func testSegments(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	_, err := s.FindSegment(ctx, "vip")
	wantCode(t, "FindSegment of an unknown segment", err, rapport.ENOTFOUND)
	vip := ruleSegment("vip", `orders >= 5`)
	cluster := &rapport.Segment{ID: "cluster-1", Name: "Young online influencers", Kind: rapport.SegmentCluster,
		Persona: json.RawMessage(`{"size":3}`), CreatedAt: at(2), UpdatedAt: at(2)}
	for _, seg := range []*rapport.Segment{vip, cluster} {
		if err := s.PutSegment(ctx, seg); err != nil {
			t.Fatalf("PutSegment(%s): %v", seg.ID, err)
		}
	}
	wantCode(t, "segment without a name", s.PutSegment(ctx, &rapport.Segment{ID: "x", Kind: rapport.SegmentRule}), rapport.EINVALID)
	wantCode(t, "segment of an unknown kind", s.PutSegment(ctx, &rapport.Segment{ID: "x", Name: "x", Kind: "magic"}), rapport.EINVALID)
	edited := *vip
	edited.Expression, edited.UpdatedAt = `orders >= 6`, at(3)
	if err := s.PutSegment(ctx, &edited); err != nil {
		t.Fatalf("PutSegment(edit): %v", err)
	}
	got, err := s.FindSegment(ctx, "vip")
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "edited segment keeps its creation time", *got, edited)
	all, err := s.FindSegments(ctx)
	if err != nil || len(all) != 2 || all[0].ID != "cluster-1" || string(all[0].Persona) != `{"size":3}` {
		t.Fatalf("FindSegments = %+v, %v", all, err)
	}
}

func testMemberships(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	webhook(t, s, "all", true, "*")
	for _, id := range []string{"vip", "lapsed"} {
		if err := s.PutSegment(ctx, ruleSegment(id, "true")); err != nil {
			t.Fatal(err)
		}
	}
	// Through the processor's changes, with the profiles they concern.
	apply(t, s, rapport.Changes{Profiles: []*rapport.Profile{person("p1"), person("p2"), person("p3")},
		Memberships: []rapport.MembershipChange{enter("vip", "p1", 1), enter("vip", "p2", 2), enter("lapsed", "p1", 3),
			enter("vip", "ghost", 4), enter("deleted-meanwhile", "p1", 4)},
		Checkpoint: 1})
	// Outside: a recompute; entering again and leaving what one is not
	// in change nothing.
	if err := s.ApplyMemberships(ctx, []rapport.MembershipChange{enter("vip", "p1", 5), leave("lapsed", "p2", 6),
		leave("vip", "p2", 7), enter("vip", "p3", 8)}); err != nil {
		t.Fatalf("ApplyMemberships: %v", err)
	}
	counts, err := s.CountMembers(ctx, []string{"vip", "lapsed", "nothing"})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "counts", counts, map[string]int{"vip": 2, "lapsed": 1, "nothing": 0})
	members, total, err := s.FindMembers(ctx, "vip", 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "vip members", members, []rapport.Member{{ProfileID: "p1", Since: at(1)}, {ProfileID: "p3", Since: at(8)}})
	if total != 2 {
		t.Errorf("total = %d, want 2", total)
	}
	page, total, err := s.FindMembers(ctx, "vip", 1, 1)
	if err != nil || total != 2 || len(page) != 1 || page[0].ProfileID != "p3" {
		t.Errorf("second page = %v (total %d), %v", page, total, err)
	}
	ms, err := s.FindMemberships(ctx, []string{"p1", "p2", "p3", "ghost"})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "memberships", ms, map[string][]string{"p1": {"lapsed", "vip"}, "p3": {"vip"}})
	hist, err := s.FindHistory(ctx, rapport.HistoryFilter{SegmentID: "vip"})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "vip history, newest first", hist, []rapport.MembershipChange{enter("vip", "p3", 8), leave("vip", "p2", 7),
		enter("vip", "p2", 2), enter("vip", "p1", 1)})
	hist, err = s.FindHistory(ctx, rapport.HistoryFilter{ProfileID: "p1", Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "p1's latest change", hist, []rapport.MembershipChange{enter("lapsed", "p1", 3)})
	equal(t, "notifications of the changes that took effect", fanOut(deliveries(t, s, rapport.DeliveryFilter{})),
		[]string{"all:segment.entered", "all:segment.left", "all:segment.entered", "all:segment.entered", "all:segment.entered"})
	wantCode(t, "membership without a segment", s.ApplyMemberships(ctx, []rapport.MembershipChange{{ProfileID: "p1"}}), rapport.EINVALID)

	// A merge drops the merged-away profile's memberships; an erasure
	// drops the person's memberships and history; deleting a segment
	// drops its own.
	apply(t, s, rapport.Changes{Merges: []rapport.Merge{{From: "p3", Into: "p1", At: at(9)}}, Base: 1, Checkpoint: 2})
	if _, err := s.DeleteProfile(ctx, "p1"); err != nil {
		t.Fatal(err)
	}
	if hist, _ := s.FindHistory(ctx, rapport.HistoryFilter{ProfileID: "p1"}); len(hist) != 0 {
		t.Errorf("history of an erased person: %v", hist)
	}
	if err := s.DeleteSegment(ctx, "lapsed"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "DeleteSegment twice", s.DeleteSegment(ctx, "lapsed"), rapport.ENOTFOUND)
	counts, _ = s.CountMembers(ctx, []string{"vip", "lapsed"})
	equal(t, "counts after merge, erasure and delete", counts, map[string]int{"vip": 0, "lapsed": 0})
}

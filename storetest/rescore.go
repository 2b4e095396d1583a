package storetest

import (
	"context"
	"testing"

	"github.com/rapportdev/rapport"
)

func testScanProfiles(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	ids := []string{"p3", "p1", "p5", "p2", "p4"}
	var profiles []*rapport.Profile
	for _, id := range ids {
		profiles = append(profiles, person(id))
	}
	apply(t, s, rapport.Changes{Profiles: profiles,
		Identities: []rapport.IdentityLink{link(rapport.IdentityUserID, "u2", "p2")}, Checkpoint: 1})
	var got []string
	after := ""
	for pages := 0; ; pages++ {
		page, err := s.ScanProfiles(ctx, after, 2)
		if err != nil {
			t.Fatalf("ScanProfiles(%q): %v", after, err)
		}
		if len(page) == 0 {
			if pages != 3 {
				t.Errorf("scan took %d pages of 2 for 5 profiles, want 3", pages)
			}
			break
		}
		for _, p := range page {
			got = append(got, p.ID)
			if p.ID == "p2" && !p.HasIdentity(rapport.Identity{Kind: rapport.IdentityUserID, Value: "u2"}) {
				t.Errorf("scanned p2 without its identities: %v", p.Identities)
			}
		}
		after = page[len(page)-1].ID
	}
	equal(t, "scanned ids", got, []string{"p1", "p2", "p3", "p4", "p5"})
}

func testUpdateScores(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	stored := score("kept", "B", "lead", 40, 30)
	apply(t, s, rapport.Changes{Profiles: []*rapport.Profile{person("kept"), person("raced"), person("new"), person("newer")},
		Scores: []rapport.ScoreRecord{stored, score("raced", "B", "lead", 40, 31)}, Checkpoint: 1})
	// The processor scores "raced" and "newer" after the pass read them.
	racedByProcessor := score("raced", "C", "lead", 20, 45)
	newerByProcessor := score("newer", "D", "prospect", 5, 46)
	apply(t, s, rapport.Changes{Scores: []rapport.ScoreRecord{racedByProcessor, newerByProcessor}, Base: 1, Checkpoint: 2})

	webhook(t, s, "all", true, "*")
	rescored := score("kept", "A", "lead", 41, 60)
	n, err := s.UpdateScores(ctx, []rapport.ScoreUpdate{
		{Record: rescored, Prev: stored.UpdatedAt, Notifications: []rapport.Notification{notification("rule.vip", "kept", 5)}},
		{Record: score("raced", "A", "lead", 41, 61), Prev: at(31),
			Notifications: []rapport.Notification{notification("rule.lost", "raced", 6)}},
		{Record: score("new", "A", "lead", 41, 62)},
		{Record: score("newer", "A", "lead", 41, 63)},
		{Record: score("gone", "A", "lead", 41, 64)},
	})
	if err != nil {
		t.Fatalf("UpdateScores: %v", err)
	}
	if n != 2 {
		t.Errorf("UpdateScores wrote %d, want 2 (kept and new)", n)
	}
	equalScore(t, "rescored", findScore(t, s, "kept"), rescored)
	equalScore(t, "raced: the processor's score wins", findScore(t, s, "raced"), racedByProcessor)
	equalScore(t, "newer: the processor's score wins", findScore(t, s, "newer"), newerByProcessor)
	equalScore(t, "new", findScore(t, s, "new"), score("new", "A", "lead", 41, 62))
	_, err = s.FindScore(ctx, "gone")
	wantCode(t, "score of a profile that does not exist", err, rapport.ENOTFOUND)
	equal(t, "notifications of written scores only", fanOut(deliveries(t, s, rapport.DeliveryFilter{})), []string{"all:rule.vip"})
	_, err = s.UpdateScores(ctx, []rapport.ScoreUpdate{{Record: score("kept", "B", "lead", 1, 1), Prev: rescored.UpdatedAt,
		Notifications: []rapport.Notification{{}}}})
	wantCode(t, "notification without type", err, rapport.EINVALID)
	equalScore(t, "kept after a refused update", findScore(t, s, "kept"), rescored)
	if n, err := s.UpdateScores(ctx, nil); n != 0 || err != nil {
		t.Errorf("UpdateScores(nil) = %d, %v", n, err)
	}
}

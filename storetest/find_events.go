package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/rapportdev/rapport"
)

// findEvents returns the message ids of a page of a profile's events.
func findEvents(t *testing.T, s rapport.Store, f rapport.EventFilter) []string {
	t.Helper()
	events, err := s.FindEvents(context.Background(), f)
	if err != nil {
		t.Fatalf("FindEvents(%+v): %v", f, err)
	}
	return messageIDs(events)
}

func testFindEventsAfterMerge(t *testing.T, s rapport.Store) {
	events := withSeqs(
		event("anon-page", "", "a1", at(1)),
		event("known-track", "u1", "", at(2)),
		event("both", "u1", "a1", at(3)),
		event("stranger", "u9", "a9", at(4)),
		// An email identity does not select events.
		event("email-as-user", "ada@example.com", "", at(5)),
	)
	apply(t, s, rapport.Changes{
		Events:   events,
		Profiles: []*rapport.Profile{person("anon"), person("known")},
		Identities: []rapport.IdentityLink{link(rapport.IdentityAnonymousID, "a1", "anon"),
			link(rapport.IdentityUserID, "u1", "known"), link(rapport.IdentityEmail, "ada@example.com", "known")},
		Checkpoint: 5,
	})
	equal(t, "anon events before merge", findEvents(t, s, rapport.EventFilter{ProfileID: "anon"}), []string{"both", "anon-page"})
	equal(t, "known events before merge", findEvents(t, s, rapport.EventFilter{ProfileID: "known"}), []string{"both", "known-track"})
	apply(t, s, rapport.Changes{Merges: []rapport.Merge{{From: "anon", Into: "known", At: at(6)}}, Base: 5, Checkpoint: 6})
	equal(t, "known events after merge", findEvents(t, s, rapport.EventFilter{ProfileID: "known"}),
		[]string{"both", "known-track", "anon-page"})
	equal(t, "merged-away profile's events", findEvents(t, s, rapport.EventFilter{ProfileID: "anon"}), []string{})
	equal(t, "unknown profile's events", findEvents(t, s, rapport.EventFilter{ProfileID: "nobody"}), []string{})
}

func testFindEventsOrderAndPaging(t *testing.T, s rapport.Store) {
	// Stored out of time order; two share a timestamp (newest seq first).
	times := []int{5, 1, 60, 3, 3, 2}
	var events []rapport.Event
	for i, sec := range times {
		events = append(events, event(fmt.Sprintf("e%d", i), "u1", "", at(sec)))
	}
	for i := range 60 {
		events = append(events, event(fmt.Sprintf("old%02d", i), "", "a1", at(-100-i)))
	}
	apply(t, s, rapport.Changes{Events: withSeqs(events...), Profiles: []*rapport.Profile{person("p")},
		Checkpoint: int64(len(events)), Identities: []rapport.IdentityLink{
			link(rapport.IdentityUserID, "u1", "p"), link(rapport.IdentityAnonymousID, "a1", "p")}})
	equal(t, "first page", findEvents(t, s, rapport.EventFilter{ProfileID: "p", Limit: 7}),
		[]string{"e2", "e0", "e4", "e3", "e5", "e1", "old00"})
	equal(t, "second page", findEvents(t, s, rapport.EventFilter{ProfileID: "p", Offset: 7, Limit: 2}),
		[]string{"old01", "old02"})
	if got := findEvents(t, s, rapport.EventFilter{ProfileID: "p"}); len(got) != 50 {
		t.Fatalf("default page has %d events, want 50", len(got))
	}
	if got := findEvents(t, s, rapport.EventFilter{ProfileID: "p", Limit: 5000}); len(got) != 66 {
		t.Fatalf("large limit page has %d events, want all 66", len(got))
	}
}

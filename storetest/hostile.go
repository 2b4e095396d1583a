package storetest

import (
	"context"
	"testing"

	"github.com/rapportdev/rapport"
)

// testHostileText checks that text a client can send (NUL bytes, invalid
// UTF-8, quotes) is stored without error and found again by the same
// value: one bad message must not wedge the processor.
func testHostileText(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	user := "nul\x00user\xff'\""
	e := event("hostile\x00id", user, "", at(1))
	e.Properties = map[string]any{"text": "a\x00b\xfe"}
	e.Integrations = []byte("{\"x\\u0000\xff\":\"\\u0000\"}")
	p := person("p1")
	p.Traits = map[string]any{"bad\x00key": "bad\x00value\xff"}
	apply(t, s, rapport.Changes{Events: withSeqs(e), Profiles: []*rapport.Profile{p},
		Identities: []rapport.IdentityLink{link(rapport.IdentityUserID, user, "p1")}, Checkpoint: 1})
	if id, err := s.FindProfileIDByIdentity(ctx, rapport.Identity{Kind: rapport.IdentityUserID, Value: user}); err != nil || id != "p1" {
		t.Fatalf("FindProfileIDByIdentity = %q, %v; want p1", id, err)
	}
	hostile := rapport.Identity{Kind: rapport.IdentityUserID, Value: user}
	if got, err := s.FindProfileIDsByIdentities(ctx, []rapport.Identity{hostile}); err != nil || got[hostile] != "p1" {
		t.Fatalf("FindProfileIDsByIdentities = %v, %v; want p1 for the identity asked", got, err)
	}
	if got := findEvents(t, s, rapport.EventFilter{ProfileID: "p1"}); len(got) != 1 {
		t.Fatalf("FindEvents found %d events, want 1", len(got))
	}
	if _, err := s.FindProfileByID(ctx, "p1"); err != nil {
		t.Fatalf("FindProfileByID: %v", err)
	}
	if _, err := s.ReadEvents(ctx, 0, 10); err != nil {
		t.Fatalf("ReadEvents: %v", err)
	}
}

package dashboard_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/rapportdev/rapport"
)

func TestLeadPersonOpensTheirProfile(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cp, err := f.store.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Ann came as bought leads too: her lead person's events joined her
	// profile.
	if err := f.store.ApplyChanges(ctx, rapport.Changes{Identities: []rapport.IdentityLink{{
		Identity: rapport.Identity{Kind: rapport.IdentityAnonymousID, Value: "lead:ld_ann"}, ProfileID: "p_ann"}},
		Base: cp, Checkpoint: cp + 1}); err != nil {
		t.Fatal(err)
	}
	c := f.signedIn(t)
	r := c.get(t, "/vendors/people/ld_ann")
	if r.status != http.StatusFound || r.header.Get("Location") != "/profiles/p_ann" {
		t.Errorf("lead person ld_ann: %d to %q, want 302 to /profiles/p_ann", r.status, r.header.Get("Location"))
	}
	expect(t, "unknown lead person", c.get(t, "/vendors/people/ld_nobody"), http.StatusNotFound,
		[]string{"No profile holds the lead person ld_nobody yet"}, nil)
}

package storetest

import (
	"context"
	"testing"

	"github.com/rapportdev/rapport"
)

// testEraseLeads checks that erasing a person deletes their bought leads
// and match keys (found through the profile's lead:<person> anonymous
// id), and nobody else's.
func testEraseLeads(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	got := createLeads(t, s, []rapport.Lead{boughtLead("l1", "v1", 0, "ana@example.com", ""),
		boughtLead("l2", "v1", 60, "bo@example.com", "")}, [][]string{{"e:ana@example.com"}, {"e:bo@example.com"}})
	ana, bo := got[0].PersonID, got[1].PersonID
	apply(t, s, rapport.Changes{Profiles: []*rapport.Profile{person("p_ana"), person("p_bo")},
		Identities: []rapport.IdentityLink{link(rapport.IdentityAnonymousID, "lead:"+ana, "p_ana"),
			link(rapport.IdentityAnonymousID, "lead:"+bo, "p_bo")}, Checkpoint: 1})
	e, err := s.DeleteProfile(ctx, "p_ana")
	if err != nil {
		t.Fatal(err)
	}
	if e.Leads != 1 {
		t.Errorf("erasure receipt counts %d leads, want 1", e.Leads)
	}
	_, err = s.FindLeadByID(ctx, "l1")
	wantCode(t, "the erased person's lead", err, rapport.ENOTFOUND)
	if h, err := s.FindLeadHistory(ctx, []string{"e:ana@example.com"}); err != nil || h.PersonID != "" {
		t.Errorf("the erased person's match key still finds %+v, %v", h, err)
	}
	if _, err := s.FindLeadByID(ctx, "l2"); err != nil {
		t.Errorf("another person's lead: %v", err)
	}
}

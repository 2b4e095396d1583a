package lead_test

import (
	"slices"
	"testing"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/lead"
)

func TestMatchKeys(t *testing.T) {
	ana := rapport.LeadPerson{FirstName: "Ana", LastName: "Núñez", Email: "A.Nunez+quotes@Gmail.com", Phone: "(206) 555-0100",
		Address: rapport.LeadAddress{Street: "12 North Pine Street Apt 3", PostalCode: "98101-2000"}, BirthYear: 1988}
	keys := lead.MatchKeys(&rapport.Lead{Person: ana})
	want := []string{"e:anunez@gmail.com", "p:+12065550100", "na:nunez|ana|12 n pine st|98101", "nb:nunez|ana|98101|1988"}
	if !slices.Equal(keys, want) {
		t.Fatalf("MatchKeys = %q, want %q", keys, want)
	}
	// The same person on another form: another email and phone, the
	// address written differently. The name and address still match.
	other := rapport.LeadPerson{FirstName: "ANA", LastName: "Nunez", Email: "ana@work.example", Phone: "+1 206 555 0199",
		Address: rapport.LeadAddress{Street: "12 N Pine St", PostalCode: "98101"}}
	shared := 0
	for _, k := range lead.MatchKeys(&rapport.Lead{Person: other}) {
		if slices.Contains(keys, k) {
			shared++
		}
	}
	if shared != 1 {
		t.Fatalf("the same person elsewhere shares %d keys, want 1 (name and address)", shared)
	}
	if got := lead.MatchKeys(&rapport.Lead{Person: rapport.LeadPerson{Email: "not an email"}}); len(got) != 0 {
		t.Fatalf("MatchKeys of nothing usable = %q, want none", got)
	}
}

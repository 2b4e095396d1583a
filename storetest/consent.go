package storetest

import (
	"context"
	"testing"

	"github.com/rapportdev/rapport"
)

func testConsentsRoundTrip(t *testing.T, s rapport.Store) {
	p := person("p1")
	p.Consents = map[string]rapport.Consent{
		"email": {Channel: "email", Granted: true, At: at(3), Source: "signup form", Text: "Email me — ü",
			ProofURL: "https://cert.example/1", Page: "/signup", IP: "203.0.113.9", MessageID: "m3"},
		"sms": {Channel: "sms", At: at(4), MessageID: "m4"},
	}
	apply(t, s, rapport.Changes{Profiles: []*rapport.Profile{p, person("p2")}, Checkpoint: 1})
	got, err := s.FindProfileByID(context.Background(), "p1")
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "consents", got.Consents, p.Consents)
	other, err := s.FindProfileByID(context.Background(), "p2")
	if err != nil {
		t.Fatal(err)
	}
	if other.Consents != nil {
		t.Errorf("a profile without consents reads back %v", other.Consents)
	}
}

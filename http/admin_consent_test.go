package http_test

import (
	"context"
	"testing"

	"github.com/rapportdev/rapport"
)

// grantEmail records Ann's email consent the way the processor does: the
// event stored, and the record on her profile.
func grantEmail(t *testing.T, f *adminFixture) {
	t.Helper()
	ctx := context.Background()
	ann, err := f.store.FindProfileByID(ctx, "p_ann")
	if err != nil {
		t.Fatal(err)
	}
	ev := adminTestEvent("m-c1", rapport.EventTrack, "ann-1", "", rapport.EventConsentGranted, 5)
	ev.Properties = map[string]any{"channel": "email", "text": "Send me the newsletter", "proof_url": "https://cert.example/1"}
	ev.Seq = 7
	ann.Consents = map[string]rapport.Consent{"email": {Channel: "email", Granted: true, At: ev.Timestamp,
		Text: "Send me the newsletter", ProofURL: "https://cert.example/1", MessageID: "m-c1"}}
	if err := f.store.ApplyChanges(ctx, rapport.Changes{Events: []rapport.Event{ev}, Profiles: []*rapport.Profile{ann},
		Base: 6, Checkpoint: 7}); err != nil {
		t.Fatal(err)
	}
}

func TestAdminConsent(t *testing.T) {
	runAdminScenarios(t, []adminScenario{
		{name: "granted", method: "GET", url: "/api/v1/profiles/p_ann/consent", before: grantEmail, wantStatus: 200,
			wantBody: []string{`"consents":{"email":{"channel":"email","granted":true`, `"proofUrl":"https://cert.example/1"`,
				`"records":[{"seq":7,"messageId":"m-c1"`, `"event":"Consent Granted"`}},
		{name: "none", method: "GET", url: "/api/v1/profiles/p_bob/consent", wantStatus: 200,
			wantBody: []string{`"consents":{}`, `"records":[]`}},
		{name: "merged names the survivor", method: "GET", url: "/api/v1/profiles/p_old/consent", wantStatus: 404,
			wantBody: []string{`"mergedInto":"p_ann"`}},
	})
}

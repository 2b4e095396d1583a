package dashboard_test

import (
	"context"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
)

// TestProfileShowsSegmentsConsentAndOffers checks the profile page lists
// the segments the person is in, their consent records with the
// evidence, and the offers they were shown and answered, including an
// answer given under a profile merged into theirs.
func TestProfileShowsSegmentsConsentAndOffers(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c := f.client(t)
	c.signIn(t)
	expect(t, "before", c.get(t, "/profiles/p_ann"), 200,
		[]string{"In no segment.", "No consent recorded", "No offer was shown to this person yet."}, nil)

	at := testBase.Add(40 * time.Hour)
	ann, err := f.store.FindProfileByID(ctx, "p_ann")
	if err != nil {
		t.Fatal(err)
	}
	ann.Consents = map[string]rapport.Consent{
		"email": {Channel: "email", Granted: true, At: at, Source: "checkout form", Text: "Send me offers",
			ProofURL: "https://proof.example/c/1", MessageID: "m-consent"},
		"sms": {Channel: "sms", Granted: false, At: at, Source: "reply STOP", MessageID: "m-stop"},
	}
	cp, err := f.store.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.ApplyChanges(ctx, rapport.Changes{Profiles: []*rapport.Profile{ann}, Base: cp, Checkpoint: cp + 1}); err != nil {
		t.Fatalf("store consent: %v", err)
	}
	if err := f.store.PutSegment(ctx, &rapport.Segment{ID: "florists", Name: "Flower buyers", Kind: rapport.SegmentRule,
		Expression: `bought("flowers")`, CreatedAt: at, UpdatedAt: at}); err != nil {
		t.Fatal(err)
	}
	if err := f.store.ApplyMemberships(ctx, []rapport.MembershipChange{{SegmentID: "florists", ProfileID: "p_ann", Entered: true, At: at}}); err != nil {
		t.Fatal(err)
	}
	offer := &rapport.Offer{ID: "spring-roses", Title: "Roses for spring", Channels: []string{"email", "web"}, Value: 10,
		Stage: "activation", CreatedAt: at, UpdatedAt: at}
	if err := f.store.PutOffer(ctx, offer); err != nil {
		t.Fatal(err)
	}
	decisions := []*rapport.Decision{
		{ID: "d-ann", ProfileID: "p_ann", At: at, Context: rapport.DecisionContext{Channel: "email"}, Arm: "all",
			Offers: []rapport.RankedOffer{{OfferID: "spring-roses", Title: offer.Title, Rank: 1}}},
		{ID: "d-old", ProfileID: "p_old", At: at.Add(-time.Hour), Context: rapport.DecisionContext{Channel: "web"}, Arm: "all",
			Offers: []rapport.RankedOffer{{OfferID: "spring-roses", Title: offer.Title, Rank: 1}}},
	}
	if err := f.store.CreateDecisions(ctx, decisions); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.RecordOutcomes(ctx, []rapport.Outcome{
		{DecisionID: "d-ann", OfferID: "spring-roses", ProfileID: "p_ann", Type: "converted", Channel: "email", Arm: "all", Revenue: 31.5, At: at.Add(time.Minute)},
		{DecisionID: "d-old", OfferID: "spring-roses", ProfileID: "p_old", Type: "dismissed", Channel: "web", Arm: "all", At: at.Add(-time.Hour)},
	}); err != nil {
		t.Fatalf("record outcomes: %v", err)
	}

	expect(t, "after", c.get(t, "/profiles/p_ann"), 200,
		[]string{`href="/segments/florists">Flower buyers</a>`, "granted", "withdrawn", "checkout form", "“Send me offers”",
			`href="https://proof.example/c/1"`, "<code>m-stop</code>", "Roses for spring", "<td>converted", "31.50",
			"<td>dismissed", "(as <code>p_old</code>)"},
		[]string{"In no segment.", "No consent recorded", "No offer was shown"})
	expect(t, "others unaffected", c.get(t, "/profiles/p_acme"), 200,
		[]string{"In no segment.", "No consent recorded", "No offer was shown to this person yet."}, nil)
}

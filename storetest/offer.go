package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
)

// testOffer returns a valid offer.
func testOffer(id string, n int) *rapport.Offer {
	return &rapport.Offer{ID: id, Title: "Offer " + id, Channels: []string{rapport.ChannelWeb, rapport.ChannelBeacon},
		Eligibility: `zone == "deli"`, Value: 2.5, Stage: rapport.StageActivation, Category: "deli",
		Payload: map[string]any{"text": "10% off \u00e9", "code": "DELI10"}, Caps: rapport.OfferCaps{PerDay: 1},
		Window: "2h", CreatedAt: at(n), UpdatedAt: at(n)}
}

func testOffers(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	_, err := s.FindOffer(ctx, "deli")
	wantCode(t, "FindOffer of an unknown offer", err, rapport.ENOTFOUND)
	deli, wine := testOffer("deli", 1), testOffer("wine", 2)
	wine.Start, wine.End = at(10), at(20)
	for _, o := range []*rapport.Offer{wine, deli} {
		if err := s.PutOffer(ctx, o); err != nil {
			t.Fatalf("PutOffer(%s): %v", o.ID, err)
		}
	}
	wantCode(t, "offer without a value", s.PutOffer(ctx, &rapport.Offer{ID: "x", Title: "x", Channels: []string{"web"},
		Stage: rapport.StageActivity}), rapport.EINVALID)
	edited := *deli
	edited.Title, edited.UpdatedAt = "Deli, 15% off", at(3)
	if err := s.PutOffer(ctx, &edited); err != nil {
		t.Fatalf("PutOffer(edit): %v", err)
	}
	got, err := s.FindOffer(ctx, "deli")
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "edited offer", *got, edited)
	all, err := s.FindOffers(ctx)
	if err != nil || len(all) != 2 || all[0].ID != "deli" || !all[1].Start.Equal(at(10)) {
		t.Fatalf("FindOffers = %s, %v", dump(all), err)
	}
	if err := s.DeleteOffer(ctx, "wine"); err != nil {
		t.Fatalf("DeleteOffer: %v", err)
	}
	wantCode(t, "DeleteOffer twice", s.DeleteOffer(ctx, "wine"), rapport.ENOTFOUND)
}

func testTriggers(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	tr := &rapport.Trigger{ID: "deli-zone", Event: "Beacon Entered", Condition: `properties.zone == "deli"`,
		Channel: rapport.ChannelBeacon, Limit: 1, CreatedAt: at(1), UpdatedAt: at(1)}
	if err := s.PutTrigger(ctx, tr); err != nil {
		t.Fatalf("PutTrigger: %v", err)
	}
	wantCode(t, "trigger without an event", s.PutTrigger(ctx, &rapport.Trigger{ID: "x", Channel: "web"}), rapport.EINVALID)
	all, err := s.FindTriggers(ctx)
	if err != nil || len(all) != 1 {
		t.Fatalf("FindTriggers = %s, %v", dump(all), err)
	}
	equal(t, "trigger", *all[0], *tr)
	if err := s.DeleteTrigger(ctx, "deli-zone"); err != nil {
		t.Fatalf("DeleteTrigger: %v", err)
	}
	wantCode(t, "DeleteTrigger twice", s.DeleteTrigger(ctx, "deli-zone"), rapport.ENOTFOUND)
}

func testDecisions(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	d := &rapport.Decision{ID: "d1", ProfileID: "p1", At: at(1), Arm: "vip", Control: true,
		Context: rapport.DecisionContext{Channel: "beacon", Zone: "deli", Properties: map[string]any{"aisle": "3"}},
		Consent: rapport.ConsentCheck{Channel: "push", Result: rapport.ConsentGranted, At: at(0), MessageID: "m-c"},
		Offers: []rapport.RankedOffer{{OfferID: "deli", Title: "Deli", Rank: 1, PAccept: 0.25, Mean: 0.2, Value: 2,
			ExpectedValue: 0.5, Reason: "eligible"}},
		Excluded: []rapport.Exclusion{{OfferID: "wine", Reason: "capped"}}}
	if err := s.CreateDecisions(ctx, []*rapport.Decision{d, {ID: "d2", At: at(2), Offers: []rapport.RankedOffer{}}}); err != nil {
		t.Fatalf("CreateDecisions: %v", err)
	}
	again := *d
	again.Arm = "changed"
	if err := s.CreateDecisions(ctx, []*rapport.Decision{&again}); err != nil {
		t.Fatalf("CreateDecisions again: %v", err)
	}
	got, err := s.FindDecision(ctx, "d1")
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "decision, recorded once", *got, *d)
	_, err = s.FindDecision(ctx, "nope")
	wantCode(t, "FindDecision of an unknown decision", err, rapport.ENOTFOUND)
}

// outcomeOf returns an outcome of decision d's offer "deli" at at(n).
func outcomeOf(d, typ string, n int) rapport.Outcome {
	o := rapport.Outcome{DecisionID: d, OfferID: "deli", ProfileID: "p1", Type: typ, Channel: "web", Arm: "vip", At: at(n)}
	if typ == rapport.OutcomeShown {
		o.Due = at(n + 60)
	}
	return o
}

func testOutcomes(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	conv := outcomeOf("d1", rapport.OutcomeConverted, 5)
	conv.Revenue = 42.5
	ctrl := outcomeOf("d3", rapport.OutcomeShown, 7)
	ctrl.Control, ctrl.Arm = true, "all"
	first := []rapport.Outcome{outcomeOf("d1", rapport.OutcomeShown, 1), outcomeOf("d1", rapport.OutcomeAccepted, 3), conv,
		outcomeOf("d2", rapport.OutcomeShown, 4), ctrl}
	added, err := s.RecordOutcomes(ctx, first)
	if err != nil {
		t.Fatalf("RecordOutcomes: %v", err)
	}
	equal(t, "new outcomes", added, first)
	// A retry adds nothing; a new type for the same offer does.
	added, err = s.RecordOutcomes(ctx, []rapport.Outcome{outcomeOf("d1", rapport.OutcomeAccepted, 9), outcomeOf("d2", rapport.OutcomeClicked, 10)})
	if err != nil || len(added) != 1 || added[0].Type != rapport.OutcomeClicked {
		t.Fatalf("RecordOutcomes(retry) = %s, %v; want only the click", dump(added), err)
	}
	bad := outcomeOf("d9", "liked", 1)
	_, err = s.RecordOutcomes(ctx, []rapport.Outcome{outcomeOf("d9", rapport.OutcomeShown, 1), bad})
	wantCode(t, "outcome of an unknown type", err, rapport.EINVALID)
	if got, _ := s.FindOutcomes(ctx, rapport.OutcomeFilter{ProfileID: "p1", Since: at(0)}); len(got) != 6 {
		t.Fatalf("an invalid batch stored something: %s", dump(got))
	}

	got, err := s.FindOutcomes(ctx, rapport.OutcomeFilter{ProfileID: "p1", Since: at(4), Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Type != rapport.OutcomeClicked || got[1].DecisionID != "d3" || !got[1].Control ||
		got[2].Revenue != 42.5 || !got[1].Due.Equal(at(67)) {
		t.Fatalf("FindOutcomes since at(4), 3 = %s", dump(got))
	}
	testStats(t, s)
}

func testStats(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	stats, err := s.FindOfferStats(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "stats", stats, []rapport.OfferStats{
		{OfferID: "deli", Arm: "all", Control: true, Counts: map[string]int64{"shown": 1}},
		{OfferID: "deli", Arm: "vip", Counts: map[string]int64{"shown": 2, "accepted": 1, "converted": 1, "clicked": 1}, Revenue: 42.5},
	})
	stats, err = s.FindOfferStats(ctx, at(6))
	if err != nil || len(stats) != 2 || stats[1].Counts["clicked"] != 1 || stats[1].Counts["shown"] != 0 {
		t.Fatalf("stats since at(6) = %s, %v", dump(stats), err)
	}
}

// testUnanswered: a shown offer waits for an answer until its due time;
// any answer ends the wait, even one recorded before the show.
func testUnanswered(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	record := func(o ...rapport.Outcome) {
		t.Helper()
		if _, err := s.RecordOutcomes(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	record(outcomeOf("a", rapport.OutcomeShown, 1), outcomeOf("b", rapport.OutcomeShown, 2), outcomeOf("c", rapport.OutcomeShown, 0))
	record(outcomeOf("b", rapport.OutcomeDismissed, 3))
	record(outcomeOf("d", rapport.OutcomeClicked, 4), outcomeOf("d", rapport.OutcomeShown, 3))
	got, err := s.FindUnanswered(ctx, at(61), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].DecisionID != "c" || got[1].DecisionID != "a" || !got[0].Due.Equal(at(60)) {
		t.Fatalf("unanswered by at(61) = %s, want c then a", dump(got))
	}
	if got, _ := s.FindUnanswered(ctx, at(61), 1); len(got) != 1 {
		t.Fatalf("limit 1: %s", dump(got))
	}
	if got, _ := s.FindUnanswered(ctx, at(59), 10); len(got) != 0 {
		t.Fatalf("unanswered by at(59) = %s, want none due", dump(got))
	}
	ignored := outcomeOf("a", rapport.OutcomeIgnored, 61)
	record(ignored)
	if got, _ := s.FindUnanswered(ctx, at(100), 10); len(got) != 1 || got[0].DecisionID != "c" {
		t.Fatalf("after a's ignore: %s, want c alone", dump(got))
	}
}

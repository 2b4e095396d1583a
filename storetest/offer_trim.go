package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
)

// testOfferTrim rolls up and deletes the decisions and outcomes of the
// first two days: the counts behind rates, lift and posteriors stay the
// same, by day; the records themselves are gone; a second trim changes
// nothing.
func testOfferTrim(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	var decisions []*rapport.Decision
	for i, at := range []time.Time{fday(0, 10), fday(0, 23), fday(1, 1), fday(2, 10)} {
		decisions = append(decisions, &rapport.Decision{ID: "t" + string(rune('1'+i)), ProfileID: "p1", At: at,
			Offers: []rapport.RankedOffer{{OfferID: "deli", Rank: 1}}})
	}
	if err := s.CreateDecisions(ctx, decisions); err != nil {
		t.Fatal(err)
	}
	o := func(d, typ string, at time.Time) rapport.Outcome {
		out := rapport.Outcome{DecisionID: d, OfferID: "deli", ProfileID: "p1", Type: typ, Channel: "web", Arm: "vip", At: at}
		if typ == rapport.OutcomeShown {
			out.Due = at.Add(72 * time.Hour)
		}
		return out
	}
	conv := o("t1", rapport.OutcomeConverted, fday(0, 12))
	conv.Revenue = 5
	ctrlShown, ctrlDismissed := o("t3", rapport.OutcomeShown, fday(1, 1)), o("t3", rapport.OutcomeDismissed, fday(1, 2))
	ctrlShown.Control, ctrlDismissed.Control = true, true
	if _, err := s.RecordOutcomes(ctx, []rapport.Outcome{
		o("t1", rapport.OutcomeShown, fday(0, 10)), o("t1", rapport.OutcomeAccepted, fday(0, 11)), conv,
		// t2 is never answered: it is pending when the trim comes.
		o("t2", rapport.OutcomeShown, fday(0, 23)),
		ctrlShown, ctrlDismissed,
		o("t4", rapport.OutcomeShown, fday(2, 10)), o("t4", rapport.OutcomeAccepted, fday(2, 11)),
	}); err != nil {
		t.Fatal(err)
	}
	all, err := s.FindOfferStats(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	fromDay1, err := s.FindOfferStats(ctx, fday(1, 0))
	if err != nil {
		t.Fatal(err)
	}
	trim, err := s.TrimOffers(ctx, fday(2, 0))
	if err != nil {
		t.Fatalf("TrimOffers: %v", err)
	}
	equal(t, "trimmed", trim, rapport.OfferTrim{Decisions: 3, Outcomes: 6})
	after, err := s.FindOfferStats(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "stats after the trim", after, all)
	equal(t, "stats before and after, for the rolled-up and kept days", all, []rapport.OfferStats{
		{OfferID: "deli", Arm: "vip", Control: false, Counts: map[string]int64{"shown": 3, "accepted": 2, "converted": 1}, Revenue: 5},
		{OfferID: "deli", Arm: "vip", Control: true, Counts: map[string]int64{"shown": 1, "dismissed": 1}},
	})
	after, err = s.FindOfferStats(ctx, fday(1, 0))
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "stats since day 1 after the trim", after, fromDay1)

	_, err = s.FindDecision(ctx, "t1")
	wantCode(t, "a trimmed decision", err, rapport.ENOTFOUND)
	if _, err := s.FindDecision(ctx, "t4"); err != nil {
		t.Fatalf("a kept decision: %v", err)
	}
	kept, err := s.FindOutcomes(ctx, rapport.OutcomeFilter{ProfileID: "p1"})
	if err != nil || len(kept) != 2 || kept[0].DecisionID != "t4" || kept[1].DecisionID != "t4" {
		t.Fatalf("outcomes after the trim = %s, %v; want t4's two", dump(kept), err)
	}
	// t2's wait for an answer went with it; t4's show was answered.
	if due, err := s.FindUnanswered(ctx, fday(30, 0), 10); err != nil || len(due) != 0 {
		t.Fatalf("unanswered after the trim = %s, %v; want none", dump(due), err)
	}
	again, err := s.TrimOffers(ctx, fday(2, 0))
	if err != nil || again != (rapport.OfferTrim{}) {
		t.Fatalf("second trim = %+v, %v; want nothing to do", again, err)
	}
	if after, _ = s.FindOfferStats(ctx, time.Time{}); len(after) != 2 || after[0].Counts["shown"] != 3 {
		t.Fatalf("stats after a second trim = %s", dump(after))
	}
}

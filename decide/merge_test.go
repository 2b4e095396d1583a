package decide_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/decide"
	"github.com/rapportdev/rapport/offer"
)

// TestMergedAwayOutcomesCountForTheSurvivor: a visitor's profile is shown
// offers, then merged into Ann's by the store. What the visitor was shown
// and dismissed counts for Ann's channel cap and suppression, an answer
// to the visitor's decision that comes after the merge is recorded for
// Ann and still teaches the decision's arm, a decision asked for the
// merged-away id is made for Ann, and the funnel counts one person. With
// and without the cache of people.
func TestMergedAwayOutcomesCountForTheSurvivor(t *testing.T) {
	for _, cache := range []int{0, 100} {
		t.Run(fmt.Sprintf("cache %d", cache), func(t *testing.T) {
			p := policy()
			p.ChannelCaps = map[string]int{"web": 3}
			f := newFixture(t, p, func(c *decide.Config) { c.CachePeople = cache })
			testMergedAway(t, f)
		})
	}
}

func testMergedAway(t *testing.T, f *fixture) {
	ctx := context.Background()
	visitor := rapport.Identity{Kind: rapport.IdentityAnonymousID, Value: "a-1"}
	apply := func(c rapport.Changes) {
		t.Helper()
		if err := f.store.ApplyChanges(ctx, c); err != nil {
			t.Fatalf("ApplyChanges: %v", err)
		}
		f.svc.OnApplied(c) // as the processor does
	}
	apply(rapport.Changes{Profiles: []*rapport.Profile{{ID: "p_anon", Kind: rapport.ProfilePerson,
		Identities: []rapport.Identity{visitor}, Traits: map[string]any{}, CreatedAt: t0, UpdatedAt: t0}},
		Identities: []rapport.IdentityLink{{Identity: visitor, ProfileID: "p_anon"}}, Base: 1, Checkpoint: 2})

	web := rapport.DecisionContext{Channel: "web"}
	answer := func(d *rapport.Decision, types ...string) []rapport.Outcome {
		t.Helper()
		var reqs []decide.OutcomeRequest
		for _, typ := range types {
			reqs = append(reqs, decide.OutcomeRequest{DecisionID: d.ID, OfferID: "points", Type: typ})
		}
		return f.outcomes(t, reqs...)
	}
	// The visitor accepts double points once, then dismisses it; the
	// third show is still unanswered at the merge.
	var pending *rapport.Decision
	for i, types := range [][]string{{"shown", "accepted"}, {"shown", "dismissed"}, {"shown"}} {
		d := f.decide(t, decide.Request{ProfileID: "p_anon", Context: web})
		if d.Offered("points") == nil {
			t.Fatalf("visitor's decision %d: %+v, want double points", i, d)
		}
		answer(d, types...)
		pending = d
		f.clock.add(time.Minute)
	}
	if err := f.svc.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if d := f.decide(t, decide.Request{ProfileID: "p_ann", Context: web}); d.Blocked != "" || d.Offered("points") == nil {
		t.Fatalf("Ann before the merge: %+v, want double points (the visitor's shows are not hers yet)", d)
	}

	apply(rapport.Changes{Merges: []rapport.Merge{{From: "p_anon", Into: "p_ann", At: f.clock.Now(), Reason: "identify ann"}},
		Base: 2, Checkpoint: 3})

	// The visitor's last show is dismissed after the merge: recorded for
	// Ann, learned in the arm the visitor's decision was ranked in.
	before := f.svc.Engine().Learner().Posterior("points", pending.Arm).Answers
	got := answer(pending, "dismissed")
	if len(got) != 1 || got[0].ProfileID != "p_ann" {
		t.Fatalf("answer after the merge recorded as %+v, want for p_ann", got)
	}
	if after := f.svc.Engine().Learner().Posterior("points", pending.Arm).Answers; after != before+1 {
		t.Errorf("arm %s learned %d answers, want %d", pending.Arm, after, before+1)
	}

	// Three web offers shown today, all by the visitor: Ann's cap.
	d := f.decide(t, decide.Request{ProfileID: "p_ann", Context: web})
	if d.Blocked != "cap of 3 web offers a day reached" {
		t.Fatalf("Ann after the merge: blocked %q, offers %+v; want the web cap reached", d.Blocked, d.Offers)
	}
	// Asked for the merged-away id: decided for Ann.
	if d := f.decide(t, decide.Request{ProfileID: "p_anon", Context: web}); d.ProfileID != "p_ann" {
		t.Errorf("decision for the merged-away id is for %q, want p_ann", d.ProfileID)
	}

	// Tomorrow Ann dismisses it twice: with the visitor's dismissal and
	// the one after the merge, four since the accept.
	f.clock.add(24 * time.Hour)
	for range 2 {
		d = f.decide(t, decide.Request{ProfileID: "p_ann", Context: web})
		if d.Offered("points") == nil {
			t.Fatalf("Ann tomorrow: %+v, want double points", d)
		}
		answer(d, "shown", "dismissed")
	}
	d = f.decide(t, decide.Request{ProfileID: "p_ann", Context: web})
	if d.Offered("points") != nil || len(d.Excluded) != 1 || !strings.HasPrefix(d.Excluded[0].Reason, "suppressed until") {
		t.Fatalf("Ann after four dismissals, three of them as the visitor: offers %+v, excluded %+v; want points suppressed",
			d.Offers, d.Excluded)
	}

	funnel, err := f.svc.Funnel(ctx, decide.FunnelRequest{Period: offer.PeriodWeek, From: t0.Add(-time.Hour), To: f.clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	activity := funnel.Periods[0].Stages[2]
	if activity.Shown != 1 || activity.Accepted != 1 || activity.Entered != 1 || activity.Stage != rapport.StageActivity {
		t.Errorf("funnel's activity stage %+v: want one person shown, accepting and entering", activity)
	}
}

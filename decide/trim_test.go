package decide_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/decide"
)

// TestTrimKeepsWhatLearningNeeds: a year and more later, the retention's
// trim deletes the decisions and outcomes but the report and the
// posteriors, read again from the store, are what they were.
func TestTrimKeepsWhatLearningNeeds(t *testing.T) {
	f := newFixture(t, policy(), func(c *decide.Config) { c.Retention = rapport.DefaultOfferRetention })
	ctx := context.Background()
	req := decide.Request{ProfileID: "p_ann", Context: rapport.DecisionContext{Channel: "web", Zone: "deli"}}
	for _, typ := range []string{"accepted", "dismissed", "converted", "dismissed"} {
		revenue := 0.0
		if typ == "converted" {
			revenue = 4
		}
		d := f.decide(t, req)
		f.outcomes(t, decide.OutcomeRequest{DecisionID: d.ID, OfferID: "deli", Type: "shown"},
			decide.OutcomeRequest{DecisionID: d.ID, OfferID: "deli", Type: typ, Revenue: revenue})
		f.clock.add(5 * time.Hour)
	}
	if err := f.svc.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	report, err := f.svc.Report(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	arm := "stage:loyal_customer"
	post := f.svc.Engine().Learner().Posterior("deli", arm)

	// Within the retention: nothing goes.
	f.clock.add(399 * 24 * time.Hour)
	if err := f.svc.Trim(ctx); err != nil {
		t.Fatal(err)
	}
	if kept, _ := f.store.FindOutcomes(ctx, rapport.OutcomeFilter{ProfileID: "p_ann"}); len(kept) != 9 {
		t.Fatalf("%d outcomes after a trim within the retention, want 9", len(kept))
	}
	f.clock.add(3 * 24 * time.Hour)
	if err := f.svc.Trim(ctx); err != nil {
		t.Fatal(err)
	}
	if kept, _ := f.store.FindOutcomes(ctx, rapport.OutcomeFilter{ProfileID: "p_ann"}); len(kept) != 0 {
		t.Fatalf("outcomes after the retention: %+v, want none", kept)
	}
	if err := f.svc.Load(ctx); err != nil { // reads the counts behind the posteriors again
		t.Fatal(err)
	}
	if got := f.svc.Engine().Learner().Posterior("deli", arm); got != post {
		t.Errorf("posterior after the trim %+v, want %+v", got, post)
	}
	got, err := f.svc.Report(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, report) {
		t.Errorf("report after the trim:\n%+v\nwant\n%+v", got.Overall, report.Overall)
	}
	if report.Overall.Treatment.Accepted != 2 || report.Overall.Treatment.Revenue != 4 {
		t.Errorf("report %+v: want two accepts and 4 of revenue", report.Overall.Treatment)
	}
}

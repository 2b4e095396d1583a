package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
)

// funnelMonday is the Monday the funnel scenario starts on, 00:00 UTC.
var funnelMonday = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

// fday returns day d of the funnel scenario at hour h.
func fday(d, h int) time.Time {
	return funnelMonday.Add(time.Duration(d)*24*time.Hour + time.Duration(h)*time.Hour)
}

// funnelStages are the scenario's offers: an ad (acquisition), a visit
// coupon (activation) and a loyalty club (activity). "gone" is an offer
// no longer in the catalog.
var funnelStages = map[string]string{"ad": rapport.StageAcquisition, "visit": rapport.StageActivation,
	"club": rapport.StageActivity}

// funnelOutcomes is the scenario, worked by hand in testOfferFunnel:
//
//	ann  shown ad d0, accepts d0; shown visit d1, accepts d2; shown club d9, accepts d9
//	bob  shown ad d0 and d1, accepts d1; shown club d8, accepts d8 (skips activation)
//	cat  shown visit d1, accepts d1; shown ad d3, accepts d3 (acquired after activation)
//	dan  shown ad d2, never answers
//	eve  accepts ad d-3 (before the range) and again d1; accepts visit d4
//	a visitor without a profile shown and accepting ad d0; ann accepting "gone" d0
func funnelOutcomes() []rapport.Outcome {
	var out []rapport.Outcome
	n := 0
	add := func(who, offerID string, typ string, d, h int) {
		n++
		out = append(out, rapport.Outcome{DecisionID: fmt.Sprintf("f%d", n), OfferID: offerID, ProfileID: who, Type: typ,
			Channel: "web", Arm: "all", At: fday(d, h)})
	}
	shown, accepted := rapport.OutcomeShown, rapport.OutcomeAccepted
	add("ann", "ad", shown, 0, 9)
	add("ann", "ad", accepted, 0, 10)
	add("ann", "visit", shown, 1, 9)
	add("ann", "visit", accepted, 2, 9)
	add("ann", "club", shown, 9, 9)
	add("ann", "club", accepted, 9, 10)
	add("bob", "ad", shown, 0, 11)
	add("bob", "ad", shown, 1, 11)
	add("bob", "ad", accepted, 1, 12)
	add("bob", "club", shown, 8, 9)
	add("bob", "club", accepted, 8, 10)
	add("cat", "visit", shown, 1, 13)
	add("cat", "visit", accepted, 1, 14)
	add("cat", "ad", shown, 3, 9)
	add("cat", "ad", accepted, 3, 10)
	add("dan", "ad", shown, 2, 9)
	add("eve", "ad", accepted, -3, 9)
	add("eve", "ad", accepted, 1, 15)
	add("eve", "visit", accepted, 4, 9)
	add("", "ad", shown, 0, 9)
	add("", "ad", accepted, 0, 10)
	add("ann", "gone", accepted, 0, 11)
	return out
}

// fc is a FunnelCount of the scenario: stage, shown, accepted, entered,
// advanced, in period number k of length days.
func fc(k, days int, stage string, shown, accepted, entered, advanced int64) rapport.FunnelCount {
	return rapport.FunnelCount{Start: funnelMonday.Add(time.Duration(k*days) * 24 * time.Hour), Stage: stage,
		Shown: shown, Accepted: accepted, Entered: entered, Advanced: advanced}
}

// testOfferFunnel checks the funnel's counts against the scenario,
// worked by hand: per day, per week, with a range that ends before some
// people advanced, and after a merge folds one person into another.
func testOfferFunnel(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	if _, err := s.RecordOutcomes(ctx, funnelOutcomes()); err != nil {
		t.Fatalf("RecordOutcomes: %v", err)
	}
	acq, act, loyal := rapport.StageAcquisition, rapport.StageActivation, rapport.StageActivity
	day, week := 24*time.Hour, 7*24*time.Hour
	tests := []struct {
		name     string
		length   time.Duration
		from, to time.Time
		want     []rapport.FunnelCount
	}{
		{"per day", day, fday(0, 0), fday(14, 0), []rapport.FunnelCount{
			// d0: ann and bob shown the ad, ann accepts: her first, and
			// she accepts the visit coupon on d2.
			fc(0, 1, acq, 2, 1, 1, 1),
			// d1: bob shown; bob and eve accept, only bob for the first
			// time (eve did on d-3), and he never accepts an activation.
			fc(1, 1, acq, 1, 2, 1, 0),
			// d1: ann and cat shown the coupon, cat accepts: her first,
			// and she never joins the club.
			fc(1, 1, act, 2, 1, 1, 0),
			fc(2, 1, acq, 1, 0, 0, 0),
			// d2: ann enters activation, and the club on d9.
			fc(2, 1, act, 0, 1, 1, 1),
			// d3: cat accepts the ad after the coupon: not an advance.
			fc(3, 1, acq, 1, 1, 1, 0),
			fc(4, 1, act, 0, 1, 1, 0),
			fc(8, 1, loyal, 1, 1, 1, 0),
			fc(9, 1, loyal, 1, 1, 1, 0),
		}},
		{"per week", week, fday(0, 0), fday(14, 0), []rapport.FunnelCount{
			// Shown: ann, bob, cat, dan. Accepted: ann, bob, cat, eve.
			// Entered: ann, bob, cat. Advanced: ann.
			fc(0, 7, acq, 4, 4, 3, 1),
			// Shown: ann, cat. Accepted and entered: ann, cat, eve.
			// Advanced: ann (club on d9).
			fc(0, 7, act, 2, 3, 3, 1),
			fc(1, 7, loyal, 2, 2, 2, 0),
		}},
		{"ending before the club", week, fday(0, 0), fday(5, 0), []rapport.FunnelCount{
			fc(0, 7, acq, 4, 4, 3, 1),
			// Ann joins the club on d9, after the range.
			fc(0, 7, act, 2, 3, 3, 0),
		}},
		{"the second week only", week, fday(7, 0), fday(14, 0), []rapport.FunnelCount{
			fc(1, 7, loyal, 2, 2, 2, 0),
		}},
	}
	for _, tt := range tests {
		got, err := s.FindOfferFunnel(ctx, rapport.FunnelQuery{Stages: funnelStages, From: tt.from, To: tt.to,
			Origin: funnelMonday, Length: tt.length})
		if err != nil {
			t.Fatalf("%s: FindOfferFunnel: %v", tt.name, err)
		}
		equal(t, tt.name, got, tt.want)
	}
	_, err := s.FindOfferFunnel(ctx, rapport.FunnelQuery{Stages: funnelStages, From: fday(1, 0), To: fday(1, 0),
		Origin: funnelMonday, Length: day})
	wantCode(t, "funnel of an empty range", err, rapport.EINVALID)

	// A merge folds cat into dan: one person shown the ad in the first
	// week instead of two, and dan entered acquisition on d3.
	apply(t, s, rapport.Changes{Profiles: []*rapport.Profile{person("cat"), person("dan")}, Checkpoint: 1})
	apply(t, s, rapport.Changes{Merges: []rapport.Merge{{From: "cat", Into: "dan", At: fday(6, 0), Reason: "test"}},
		Base: 1, Checkpoint: 2})
	got, err := s.FindOfferFunnel(ctx, rapport.FunnelQuery{Stages: funnelStages, From: fday(0, 0), To: fday(14, 0),
		Origin: funnelMonday, Length: week})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "per week after merging cat into dan", got, []rapport.FunnelCount{
		fc(0, 7, acq, 3, 4, 3, 1), fc(0, 7, act, 2, 3, 3, 1), fc(1, 7, loyal, 2, 2, 2, 0)})
	outcomes, err := s.FindOutcomes(ctx, rapport.OutcomeFilter{ProfileID: "dan"})
	if err != nil || len(outcomes) != 5 {
		t.Fatalf("dan's outcomes after the merge = %s, %v; want cat's four and his own", dump(outcomes), err)
	}
	if left, _ := s.FindOutcomes(ctx, rapport.OutcomeFilter{ProfileID: "cat"}); len(left) != 0 {
		t.Fatalf("outcomes left under the merged-away id: %s", dump(left))
	}
}

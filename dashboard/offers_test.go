package dashboard_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/dashboard"
	"github.com/rapportdev/rapport/decide"
	"github.com/rapportdev/rapport/offer"
)

// withOffers serves the fixture's store with an offer service whose
// catalog has one offer per stage, and outcomes worked by hand:
//
//	points (activity), everyone else: 10 shown, 4 accepted (p_ann among
//	them); the control group 5 shown, 1 accepted. Rate 40% (Wilson
//	16.8%-68.7%), control 20%, lift +20 points.
//	ad (acquisition) then deli (activation): p_bob accepts both, so one
//	person entered acquisition and all of them went on.
func withOffers(t *testing.T, f *fixture) *fixture {
	t.Helper()
	ctx := context.Background()
	svc, err := decide.New(decide.Config{Store: f.store, Policy: offer.DefaultPolicy(), Clock: f.clock, Seed: 1,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Offers: []*rapport.Offer{
			{ID: "points", Title: "Double points", Channels: []string{"web"}, Value: 1, Stage: rapport.StageActivity},
			{ID: "ad", Title: "Welcome ad", Channels: []string{"web"}, Value: 1, Stage: rapport.StageAcquisition},
			{ID: "deli", Title: "Deli coupon", Channels: []string{"web"}, Value: 2, Stage: rapport.StageActivation},
		}})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Load(ctx); err != nil {
		t.Fatal(err)
	}
	at := testBase.Add(24 * time.Hour)
	var outcomes []rapport.Outcome
	add := func(offerID, profileID string, control bool, shown, accepted int) {
		for i := range shown {
			d := fmt.Sprintf("d-%s-%v-%d", offerID, control, i)
			o := rapport.Outcome{DecisionID: d, OfferID: offerID, ProfileID: profileID, Channel: "web", Arm: "all",
				Control: control, Type: rapport.OutcomeShown, At: at}
			outcomes = append(outcomes, o)
			if i < accepted {
				o.Type, o.At = rapport.OutcomeAccepted, at.Add(time.Minute)
				outcomes = append(outcomes, o)
			}
		}
	}
	add("points", "p_ann", false, 10, 4)
	add("points", "p_acme", true, 5, 1)
	add("ad", "p_bob", false, 1, 1)
	add("deli", "p_bob", false, 1, 1)
	if _, err := f.store.RecordOutcomes(ctx, outcomes); err != nil {
		t.Fatal(err)
	}
	h, err := dashboard.New(dashboard.Config{Store: f.store, Clock: f.clock, Offers: svc,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), SessionKey: testSessionKey})
	if err != nil {
		t.Fatal(err)
	}
	g := *f
	g.srv = httptest.NewServer(h)
	t.Cleanup(g.srv.Close)
	return &g
}

func TestOffersPage(t *testing.T) {
	f := withOffers(t, newFixture(t))
	c := f.signedIn(t)
	for _, tc := range []struct {
		name, path string
		status     int
		want, not  []string
	}{
		{name: "offers", path: "/offers", status: 200, want: []string{
			`<a href="/offers" aria-current="page">Offers</a>`,
			// The charts' data and their tables.
			`id="rate-chart">{"kind":"interval","label":"Accept rate (%)","labels":["Welcome ad","Deli coupon","Double points"],` +
				`"values":[100,100,40],"lows":[20.7,20.7,16.8],"highs":[100,100,68.7]}`,
			`id="lift-chart">{"kind":"interval"`, `"values":[0,0,20]`,
			`<th scope="row">Double points</th><td class="num">10</td><td class="num">4</td><td class="num">40.0%</td><td class="num">16.8% – 68.7%</td>`,
			// Newcombe's interval of 4/10 − 1/5; html/template writes + as &#43;.
			`<td class="num">5</td><td class="num">20.0%</td><td class="num">&#43;20.0 pts</td><td class="num">-28.4 pts – &#43;53.1 pts</td>`,
			// The table per offer and segment: each offer in "all" and "*".
			"(6 rows)", "<td>everyone else</td>", "<td>all segments</td>",
			// The funnel: Bob entered acquisition and went on.
			`<th scope="row">acquisition</th><td>activation</td><td class="num">1</td><td class="num">1</td><td class="num">100.0%`,
			`id="entry-chart">{"kind":"series","type":"bar"`, `"label":"Entered activity","values":[`,
			// Weeks when nobody entered a stage have no conversion, not 0%.
			`id="conversion-chart">{"kind":"series","type":"line"`, `"values":[null,null,`, `"unit":"percent","palette":"offers"}`,
			// Drawn by charts.js, as every page's charts are.
			`<figure class="chart" data-chart="conversion-chart"`, `<script src="/static/charts.js?v=`,
		}},
		{name: "one segment", path: "/offers?arm=all&days=0&period=day", status: 200,
			want: []string{"(3 rows)", `<option value="all" selected>everyone else</option>`, `<option value="day" selected>Day</option>`}},
		{name: "past the last page", path: "/offers?page=3", status: 200, want: []string{"go to the first page"}},
		{name: "unknown window", path: "/offers?days=7", status: 400, want: []string{`days: &#34;7&#34; is not one of the choices`}},
		{name: "unknown period", path: "/offers?period=month", status: 400, want: []string{"period: &#34;month&#34;"}},
	} {
		expect(t, tc.name, c.get(t, tc.path), tc.status, tc.want, tc.not)
	}
	// Two months on, the last 30 days hold nothing.
	f.clock.advance(60 * 24 * time.Hour)
	c = f.signedIn(t) // the session has expired meanwhile
	expect(t, "a window after everything", c.get(t, "/offers?days=30"), 200,
		[]string{"No outcomes in this time", "No offer was shown", "(0 rows)"}, []string{"Double points"})
}

// TestOffersPageWithoutOffers: a dashboard without the offer service says
// so rather than failing.
func TestOffersPageWithoutOffers(t *testing.T) {
	f := newFixture(t)
	c := f.signedIn(t)
	expect(t, "offers", c.get(t, "/offers"), 404, []string{"Offers are not available on this process."}, nil)
}

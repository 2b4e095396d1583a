package offer_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/offer"
)

func TestDecideRules(t *testing.T) {
	deli := testOffer("deli-coupon", `zone == "deli" && "gourmets" in segments`, 5, rapport.ChannelBeacon, rapport.ChannelWeb)
	wine := testOffer("wine", `page startsWith "/wine" || hour >= 18`, 3, rapport.ChannelWeb)
	everyone := testOffer("points", "", 1, rapport.ChannelWeb, rapport.ChannelEmail, rapport.ChannelBeacon)
	later := testOffer("later", "", 100, rapport.ChannelWeb)
	later.Start = t0.Add(time.Hour)
	paused := testOffer("paused", "", 100, rapport.ChannelWeb)
	paused.Paused = true
	capped := testOffer("capped", "", 50, rapport.ChannelWeb)
	capped.Caps.PerDay = 1
	e := testEngine(t, plainPolicy(), deli, wine, everyone, later, paused, capped)

	tests := []struct {
		name    string
		in      offer.Input
		want    []string
		blocked string
		consent string
		exclude string
	}{
		{name: "web, no context: what runs now and is eligible, by expected value",
			in:   offer.Input{Profile: person("p1"), Context: rapport.DecisionContext{Channel: "web"}},
			want: []string{"capped", "points"}, consent: rapport.ConsentNotRequired},
		{name: "context feeds eligibility: zone and segments, page",
			in: offer.Input{Profile: person("p1"), Segments: []string{"gourmets"}, Limit: 5,
				Context: rapport.DecisionContext{Channel: "web", Zone: "deli", Page: "/wine/red"}},
			want: []string{"capped", "deli-coupon", "wine", "points"}},
		{name: "local hour from the decision's time zone",
			in: offer.Input{Profile: person("p1"), Limit: 5,
				Context: rapport.DecisionContext{Channel: "web", Timezone: "Asia/Tokyo"}}, // 21:00 in Tokyo
			want: []string{"capped", "wine", "points"}},
		{name: "per-offer cap for the day",
			in: offer.Input{Profile: person("p1"), Context: rapport.DecisionContext{Channel: "web"},
				History: []rapport.Outcome{outcome("d0", "capped", rapport.OutcomeShown, -60)}},
			want: []string{"points"}, exclude: "capped: shown 1 times today (cap 1)"},
		{name: "beacon needs push consent: none recorded",
			in:   offer.Input{Profile: person("p1"), Context: rapport.DecisionContext{Channel: "beacon", Zone: "deli"}},
			want: []string{}, blocked: "no consent for push (no record)", consent: rapport.ConsentRefused},
		{name: "beacon with push consent",
			in: offer.Input{Profile: person("p1", "push"), Segments: []string{"gourmets"},
				Context: rapport.DecisionContext{Channel: "beacon", Zone: "deli"}},
			want: []string{"deli-coupon", "points"}, consent: rapport.ConsentGranted},
		{name: "withdrawn consent",
			in: offer.Input{Profile: func() *rapport.Profile {
				p := person("p1", "email")
				p.Consents["email"] = rapport.Consent{Channel: "email", Granted: false, At: t0, MessageID: "m-x"}
				return p
			}(), Context: rapport.DecisionContext{Channel: "email"}},
			want: []string{}, blocked: "no consent for email (withdrawn)", consent: rapport.ConsentRefused},
		{name: "unknown visitor: no consent on a contact channel",
			in:   offer.Input{Key: "anon-1", Context: rapport.DecisionContext{Channel: "email"}},
			want: []string{}, blocked: "no consent for email (no record)"},
		{name: "quiet hours in the person's time zone",
			in: offer.Input{Profile: person("p1", "email"),
				Context: rapport.DecisionContext{Channel: "email", Timezone: "America/Los_Angeles"}}, // 04:00
			want: []string{}, blocked: "quiet hours 21:00-08:00 in America/Los_Angeles (local time 04:00)"},
		{name: "quiet hours from the profile's timezone trait",
			in: offer.Input{Profile: func() *rapport.Profile {
				p := person("p1", "email")
				p.Traits["timezone"] = "Pacific/Auckland" // 01:00
				return p
			}(), Context: rapport.DecisionContext{Channel: "email"}},
			want: []string{}, blocked: "quiet hours 21:00-08:00 in Pacific/Auckland (local time 01:00)"},
		{name: "channel cap per local day",
			in: offer.Input{Profile: person("p1", "email"), Context: rapport.DecisionContext{Channel: "email"},
				History: []rapport.Outcome{{DecisionID: "d0", OfferID: "points", Type: rapport.OutcomeShown, Channel: "email",
					At: t0.Add(-3 * time.Hour), Due: t0.Add(time.Hour)}}},
			want: []string{}, blocked: "cap of 1 email offers a day reached"},
		{name: "yesterday's email does not count today",
			in: offer.Input{Profile: person("p1", "email"), Context: rapport.DecisionContext{Channel: "email"},
				History: []rapport.Outcome{{DecisionID: "d0", OfferID: "points", Type: rapport.OutcomeShown, Channel: "email",
					At: t0.Add(-13 * time.Hour), Due: t0.Add(-12 * time.Hour)},
					{DecisionID: "d0", OfferID: "points", Type: rapport.OutcomeClicked, Channel: "email", At: t0.Add(-12 * time.Hour)}}},
			want: []string{"points"}, consent: rapport.ConsentGranted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.Now = t0
			d := e.Decide(tt.in)
			// With no outcomes yet the order is Thompson sampling's to
			// draw; the set is the rules'.
			got := offerIDs(d)
			slices.Sort(got)
			slices.Sort(tt.want)
			if !slices.Equal(got, tt.want) {
				t.Errorf("offers %v, want %v (excluded %v)", got, tt.want, d.Excluded)
			}
			if d.Blocked != tt.blocked {
				t.Errorf("blocked %q, want %q", d.Blocked, tt.blocked)
			}
			if tt.consent != "" && d.Consent.Result != tt.consent {
				t.Errorf("consent %+v, want %s", d.Consent, tt.consent)
			}
			if tt.exclude != "" && !slices.ContainsFunc(d.Excluded, func(x rapport.Exclusion) bool { return x.Reason == tt.exclude }) {
				t.Errorf("excluded %v, want one %q", d.Excluded, tt.exclude)
			}
			for _, o := range d.Offers {
				if o.Reason == "" || o.ExpectedValue != o.PAccept*o.Value {
					t.Errorf("offer %+v: want a reason and expected value = P × value", o)
				}
			}
		})
	}
}

func TestDecideConsentRecorded(t *testing.T) {
	e := testEngine(t, plainPolicy(), testOffer("points", "", 1, rapport.ChannelPush))
	d := e.Decide(offer.Input{Profile: person("p1", "push"), Context: rapport.DecisionContext{Channel: "push"}, Now: t0})
	want := rapport.ConsentCheck{Channel: "push", Result: rapport.ConsentGranted, At: t0.Add(-time.Hour), MessageID: "m-push"}
	if d.Consent != want {
		t.Errorf("consent %+v, want %+v", d.Consent, want)
	}
}

// TestRankingLearns feeds outcomes and checks that the offer with the
// better record in the person's group comes first, and that value
// weighs in.
func TestRankingLearns(t *testing.T) {
	p := plainPolicy()
	p.LearnBy = []string{"vip"}
	e := testEngine(t, p, testOffer("a", "", 1), testOffer("b", "", 1), testOffer("c", "", 1))
	feed := func(offerID, arm string, accepts, fails int) {
		for i := range accepts + fails {
			typ := rapport.OutcomeAccepted
			if i >= accepts {
				typ = rapport.OutcomeDismissed
			}
			e.Learner().Observe(rapport.Outcome{DecisionID: fmt.Sprint(i), OfferID: offerID, Type: typ, Arm: arm, At: t0})
		}
	}
	feed("a", "vip", 60, 40)
	feed("b", "vip", 5, 95)
	feed("b", "stage:lead", 70, 30)
	feed("a", "stage:lead", 5, 95)
	feed("c", "vip", 10, 90)
	feed("c", "stage:lead", 10, 90)
	vip := offer.Input{Profile: person("p1"), Segments: []string{"vip"}, Score: &rapport.ScoreRecord{Stage: "lead"},
		Context: rapport.DecisionContext{Channel: "web"}, Now: t0}
	lead := vip
	lead.Segments = nil
	for i := range 20 {
		if d := e.Decide(vip); d.Arm != "vip" || d.Offers[0].OfferID != "a" {
			t.Fatalf("decision %d for vip: arm %s, offers %v; want a first", i, d.Arm, offerIDs(d))
		}
		if d := e.Decide(lead); d.Arm != "stage:lead" || d.Offers[0].OfferID != "b" {
			t.Fatalf("decision %d for a lead: arm %s, offers %v; want b first", i, d.Arm, offerIDs(d))
		}
	}
	d := e.Decide(vip)
	if r := d.Offers[0].Reason; !strings.Contains(r, "for vip (mean 0.5") || !strings.Contains(r, "100 answers") {
		t.Errorf("reason %q: want the vip posterior", d.Offers[0].Reason)
	}
}

func TestExplorationFloor(t *testing.T) {
	p := plainPolicy()
	p.Explore = 0.2
	e := testEngine(t, p, testOffer("good", "", 10), testOffer("poor", "", 1))
	for i := range 100 {
		typ := rapport.OutcomeDismissed
		if i%2 == 0 {
			typ = rapport.OutcomeAccepted
		}
		for _, id := range []string{"good", "poor"} {
			e.Learner().Observe(rapport.Outcome{OfferID: id, Type: typ, Arm: offer.ArmAll, At: t0})
		}
	}
	firsts := map[string]int{}
	explored := 0
	for range 2000 {
		d := e.Decide(offer.Input{Profile: person("p1"), Context: rapport.DecisionContext{Channel: "web"}, Now: t0})
		firsts[d.Offers[0].OfferID]++
		if d.Offers[0].Explore {
			explored++
		}
	}
	// The same accept rate, value 10 against 1: "good" wins every
	// exploiting decision; "poor" comes first in half the exploring ones.
	if explored < 330 || explored > 470 {
		t.Errorf("explored %d of 2000, want about 400", explored)
	}
	if firsts["poor"] < 130 || firsts["poor"] > 270 {
		t.Errorf("poor first %d times, want about 200 (half of the explorations)", firsts["poor"])
	}
}

func TestControlGroup(t *testing.T) {
	p := plainPolicy()
	p.ControlShare = 0.05
	e := testEngine(t, p, testOffer("a", "", 1), testOffer("b", "", 1), testOffer("c", "", 1))
	for range 50 {
		e.Learner().Observe(rapport.Outcome{OfferID: "a", Type: rapport.OutcomeAccepted, Arm: offer.ArmAll, At: t0})
		e.Learner().Observe(rapport.Outcome{OfferID: "b", Type: rapport.OutcomeIgnored, Arm: offer.ArmAll, At: t0})
		e.Learner().Observe(rapport.Outcome{OfferID: "c", Type: rapport.OutcomeDismissed, Arm: offer.ArmAll, At: t0})
	}
	control, firsts := 0, map[string]int{}
	for i := range 4000 {
		id := fmt.Sprintf("p%d", i)
		d := e.Decide(offer.Input{Profile: person(id), Context: rapport.DecisionContext{Channel: "web"}, Now: t0})
		if d.Control != offer.InControl(id, 0.05) {
			t.Fatalf("%s: control %v, not its stable hash", id, d.Control)
		}
		if d.Control {
			control++
			firsts[d.Offers[0].OfferID]++
			if !strings.Contains(d.Offers[0].Reason, "control group") {
				t.Errorf("control reason %q", d.Offers[0].Reason)
			}
		} else if d.Offers[0].OfferID != "a" {
			t.Fatalf("treatment decision %v: want a, the learned best, first", offerIDs(d))
		}
	}
	if control < 160 || control > 240 {
		t.Errorf("control group %d of 4000, want about 5%%", control)
	}
	if firsts["b"] < control/5 || firsts["c"] < control/5 {
		t.Errorf("control firsts %v: want every offer about a third of the time", firsts)
	}
}

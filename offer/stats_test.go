package offer_test

import (
	"math"
	"testing"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/offer"
)

func TestReportLift(t *testing.T) {
	stats := []rapport.OfferStats{
		{OfferID: "a", Arm: "vip", Counts: map[string]int64{"shown": 1000, "accepted": 200, "dismissed": 100}, Revenue: 500},
		{OfferID: "a", Arm: "vip", Control: true, Counts: map[string]int64{"shown": 100, "accepted": 10}},
		{OfferID: "b", Arm: "all", Counts: map[string]int64{"shown": 10}},
	}
	offers := map[string]*rapport.Offer{"a": {ID: "a", Stage: rapport.StageActivity}, "b": {ID: "b", Stage: rapport.StageAcquisition}}
	rep := offer.NewReport(stats, offers, map[string][]string{"b": {"all"}})
	if len(rep.Offers) != 4 {
		t.Fatalf("offers %+v, want a×vip, a×*, b×all, b×*", rep.Offers)
	}
	a := rep.Offers[1] // "*" sorts before "vip"
	if a.Arm != "vip" || a.Treatment.AcceptRate != 0.2 || a.Control.AcceptRate != 0.1 || a.Stage != rapport.StageActivity {
		t.Fatalf("a×vip %+v", a)
	}
	// Newcombe's interval for 200/1000 − 10/100, from the Wilson
	// intervals [0.1763, 0.2261] and [0.0552, 0.1744]:
	// 0.1 − √(0.0237² + 0.0744²) = 0.0219, 0.1 + √(0.0261² + 0.0448²) = 0.1518.
	if l := a.Lift; math.Abs(l.Absolute-0.1) > 1e-9 || math.Abs(l.CI.Low-0.0219) > 0.0005 || math.Abs(l.CI.High-0.1518) > 0.0005 || math.Abs(l.Relative-1) > 1e-9 {
		t.Errorf("lift %+v, want +0.1 [0.022, 0.152], relative +100%%", l)
	}
	// Wilson's interval for 200/1000: [0.176, 0.226].
	if ci := a.Treatment.AcceptCI; math.Abs(ci.Low-0.1763) > 0.001 || math.Abs(ci.High-0.2261) > 0.001 {
		t.Errorf("accept rate CI %+v, want [0.176, 0.226]", ci)
	}
	if !rep.Offers[3].Retired || rep.Offers[3].OfferID != "b" || rep.Offers[3].Lift.CI != (offer.Interval{Low: -1, High: 1}) {
		t.Errorf("b×all %+v: want retired and no lift without a control group", rep.Offers[3])
	}
	if len(rep.Stages) != 2 || rep.Stages[0].Stage != rapport.StageAcquisition || rep.Stages[1].Treatment.Accepted != 200 {
		t.Errorf("stages %+v", rep.Stages)
	}
	if rep.Overall.Treatment.Shown != 1010 || rep.Overall.Control.Shown != 100 {
		t.Errorf("overall %+v", rep.Overall)
	}
}

// TestPosteriorSampling checks the Beta draws through the ranking: an
// offer whose posterior mean is 0.3 against one at 0.25, both with 1,000
// answers, wins about P(X > Y) of the time.
func TestPosteriorSampling(t *testing.T) {
	e := testEngine(t, plainPolicy(), testOffer("a", "", 1), testOffer("b", "", 1))
	for i := range 1000 {
		for id, rate := range map[string]int{"a": 300, "b": 250} {
			typ := rapport.OutcomeDismissed
			if i < rate {
				typ = rapport.OutcomeAccepted
			}
			e.Learner().Observe(rapport.Outcome{OfferID: id, Type: typ, Arm: offer.ArmAll, At: t0})
		}
	}
	wins := 0
	for range 4000 {
		if d := e.Decide(offer.Input{Profile: person("p"), Context: rapport.DecisionContext{Channel: "web"}, Now: t0}); d.Offers[0].OfferID == "a" {
			wins++
		}
	}
	// X − Y is about normal, mean 0.05, sd sqrt(0.3·0.7/1000 + 0.25·0.75/1000) = 0.02: P ≈ 0.994.
	if wins < 3930 {
		t.Errorf("a first in %d of 4000 decisions, want about 99.4%%", wins)
	}
}

func TestPolicyValidate(t *testing.T) {
	good := offer.DefaultPolicy()
	if err := good.Validate(); err != nil {
		t.Fatalf("default policy: %v", err)
	}
	for name, change := range map[string]func(*offer.Policy){
		"control above half":  func(p *offer.Policy) { p.ControlShare = 0.6 },
		"explore above 1":     func(p *offer.Policy) { p.Explore = 1.5 },
		"unknown cap channel": func(p *offer.Policy) { p.ChannelCaps = map[string]int{"fax": 1} },
		"consent not contact": func(p *offer.Policy) { p.ConsentFor = map[string]string{"web": "web"} },
		"confidence 0.4":      func(p *offer.Policy) { p.Retirement.Confidence = 0.4 },
		"quiet hour 24:00":    func(p *offer.Policy) { p.QuietHours.From = 24 * 60 },
	} {
		p := offer.DefaultPolicy()
		change(&p)
		if err := p.Validate(); rapport.ErrorCode(err) != rapport.EINVALID {
			t.Errorf("%s: %v, want invalid", name, err)
		}
	}
	for s, want := range map[string]int{"00:00": 0, "21:30": 21*60 + 30, "23:59": 23*60 + 59, "24:00": -1, "9:00": -1, "ab:cd": -1} {
		got, err := offer.ParseClock(s)
		if want < 0 && err == nil || want >= 0 && got != want {
			t.Errorf("ParseClock(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
}

func TestContextOf(t *testing.T) {
	e := &rapport.Event{Type: rapport.EventTrack, Event: "Beacon Entered",
		Properties: map[string]any{"zone": "deli", "beacon_id": "b-12"},
		Context:    map[string]any{"timezone": "Europe/Paris", "page": map[string]any{"path": "/app"}}}
	c := offer.ContextOf(e, rapport.ChannelBeacon)
	if c.Channel != "beacon" || c.Zone != "deli" || c.Beacon != "b-12" || c.Page != "/app" || c.Timezone != "Europe/Paris" {
		t.Errorf("context %+v", c)
	}
	if offer.EventName(e) != "Beacon Entered" || offer.EventName(&rapport.Event{Type: rapport.EventPage}) != "page" {
		t.Error("event names")
	}
}

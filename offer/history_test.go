package offer_test

import (
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/offer"
)

func TestSummarizeSuppression(t *testing.T) {
	s := offer.Suppression{After: 3, Cooldown: 24 * time.Hour}
	shown := func(d string, min int) rapport.Outcome { return outcome(d, "x", rapport.OutcomeShown, min) }
	answer := func(d, typ string, min int) rapport.Outcome { return outcome(d, "x", typ, min) }
	tests := []struct {
		name    string
		history []rapport.Outcome
		now     time.Time
		until   time.Time // zero: not suppressed
	}{
		{"three dismissals", []rapport.Outcome{answer("d1", "dismissed", -300), answer("d2", "dismissed", -200), answer("d3", "dismissed", -100)},
			t0, t0.Add(-100 * time.Minute).Add(24 * time.Hour)},
		{"two are not enough", []rapport.Outcome{answer("d1", "dismissed", -300), answer("d2", "ignored", -200)}, t0, time.Time{}},
		{"an accept starts the count again", []rapport.Outcome{answer("d1", "dismissed", -300), answer("d2", "dismissed", -250),
			answer("d3", "accepted", -200), answer("d4", "dismissed", -100)}, t0, time.Time{}},
		{"a click shows interest too", []rapport.Outcome{answer("d1", "ignored", -300), answer("d2", "clicked", -250),
			answer("d3", "ignored", -200), answer("d4", "dismissed", -100)}, t0, time.Time{}},
		{"shown past its window without an answer is an ignore", []rapport.Outcome{shown("d1", -300), shown("d2", -200),
			shown("d3", -100)}, t0, t0.Add(-40 * time.Minute).Add(24 * time.Hour)},
		{"shown still within its window is not", []rapport.Outcome{shown("d1", -300), shown("d2", -200), shown("d3", -30)},
			t0, time.Time{}},
		{"an answered show is not an ignore", []rapport.Outcome{shown("d1", -300), answer("d1", "clicked", -290),
			shown("d2", -200), shown("d3", -100)}, t0, time.Time{}},
		{"a recorded ignore is counted once", []rapport.Outcome{shown("d1", -300), answer("d1", "ignored", -240),
			shown("d2", -200), answer("d2", "ignored", -140), shown("d3", -100), answer("d3", "ignored", -40)},
			t0, t0.Add(-40 * time.Minute).Add(24 * time.Hour)},
		{"the cooldown ends", []rapport.Outcome{answer("d1", "dismissed", -300), answer("d2", "dismissed", -200),
			answer("d3", "dismissed", -100)}, t0.Add(25 * time.Hour), time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sum := offer.Summarize(tt.history, tt.now, time.UTC, s)
			if got := sum.Suppressed["x"]; !got.Equal(tt.until) {
				t.Errorf("suppressed until %v, want %v", got, tt.until)
			}
		})
	}
}

func TestSummarizeCountsLocalDays(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo") // t0 is 21:00 there
	history := []rapport.Outcome{
		{OfferID: "a", Type: rapport.OutcomeShown, Channel: "push", At: t0.Add(-10 * time.Hour)},      // 11:00 Tokyo, today
		{OfferID: "a", Type: rapport.OutcomeShown, Channel: "push", At: t0.Add(-22 * time.Hour)},      // 23:00 yesterday
		{OfferID: "b", Type: rapport.OutcomeShown, Channel: "email", At: t0.Add(-6 * 24 * time.Hour)}, // this week
		{OfferID: "b", Type: rapport.OutcomeShown, Channel: "email", At: t0.Add(-8 * 24 * time.Hour)}, // before
	}
	sum := offer.Summarize(history, t0, tokyo, offer.Suppression{})
	if sum.ChannelToday["push"] != 1 || sum.ChannelToday["email"] != 0 {
		t.Errorf("channel today %v, want push 1", sum.ChannelToday)
	}
	if sum.OfferToday["a"] != 1 || sum.OfferWeek["a"] != 2 || sum.OfferWeek["b"] != 1 {
		t.Errorf("offer today %v, week %v; want a 1 today and 2 this week, b 1 this week", sum.OfferToday, sum.OfferWeek)
	}
}

func TestSuppressionInDecisions(t *testing.T) {
	e := testEngine(t, plainPolicy(), testOffer("x", "", 1), testOffer("y", "", 1))
	var history []rapport.Outcome
	for i, min := range []int{-400, -300, -200, -100} {
		history = append(history, outcome(string(rune('a'+i)), "x", rapport.OutcomeDismissed, min))
	}
	in := offer.Input{Profile: person("p1"), Context: rapport.DecisionContext{Channel: "web"}, History: history, Now: t0}
	d := e.Decide(in)
	if ids := offerIDs(d); len(ids) != 1 || ids[0] != "y" || len(d.Excluded) != 1 || d.Excluded[0].OfferID != "x" {
		t.Fatalf("offers %v, excluded %v: want x suppressed", ids, d.Excluded)
	}
	in.Now = t0.Add(15 * 24 * time.Hour)
	if d := e.Decide(in); len(d.Offers) != 2 {
		t.Errorf("after the cooldown: offers %v, want both", offerIDs(d))
	}
	// The control group gets no suppression.
	p := plainPolicy()
	p.ControlShare = 0.5
	e = testEngine(t, p, testOffer("x", "", 1), testOffer("y", "", 1))
	for i := 0; ; i++ {
		in.Profile, in.Now = person("c"+string(rune('0'+i))), t0
		if d := e.Decide(in); d.Control {
			if len(d.Offers) != 2 {
				t.Errorf("control decision %v: want x too", offerIDs(d))
			}
			break
		}
	}
}

func TestRetirement(t *testing.T) {
	p := plainPolicy()
	p.Retirement = offer.Retirement{Floor: 0.02, Confidence: 0.95, MinAnswers: 100}
	e := testEngine(t, p, testOffer("dud", "", 1), testOffer("fine", "", 1))
	l := e.Learner()
	observe := func(offerID, arm, typ string, n int) {
		for range n {
			l.Observe(rapport.Outcome{OfferID: offerID, Arm: arm, Type: typ, At: t0})
		}
	}
	// 99 answers: too few to judge, though none accepted.
	observe("dud", "vip", rapport.OutcomeIgnored, 99)
	if l.Posterior("dud", "vip").Retired {
		t.Fatal("retired after 99 answers, want MinAnswers 100")
	}
	// P(rate < 2% | 0 of 150) = 1 − 0.98^151 ≈ 0.95.
	observe("dud", "vip", rapport.OutcomeIgnored, 51)
	if !l.Posterior("dud", "vip").Retired {
		t.Fatal("not retired after 150 answers without an accept")
	}
	// Another arm is judged on its own: 3 of 100 is not credibly below 2%.
	observe("dud", "stage:lead", rapport.OutcomeAccepted, 3)
	observe("dud", "stage:lead", rapport.OutcomeDismissed, 97)
	if l.Posterior("dud", "stage:lead").Retired {
		t.Error("retired in stage:lead at 3%")
	}
	in := offer.Input{Profile: person("p1"), Segments: []string{"vip"}, Context: rapport.DecisionContext{Channel: "web"}, Now: t0}
	p.LearnBy = []string{"vip"}
	e2 := testEngine(t, p, testOffer("dud", "", 1), testOffer("fine", "", 1))
	e2.Learner().Load(l.Stats())
	d := e2.Decide(in)
	if ids := offerIDs(d); len(ids) != 1 || ids[0] != "fine" || len(d.Excluded) != 1 {
		t.Fatalf("offers %v, excluded %v: want dud retired in vip", ids, d.Excluded)
	}
	if got := e2.Learner().Retired(); len(got["dud"]) != 1 || got["dud"][0] != "vip" {
		t.Errorf("retired %v, want dud in vip", got)
	}
}

package demo_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/demo"
	"github.com/rapportdev/rapport/offer"
)

// TestOffers: the demo catalog compiles, covers the three stages and
// at least five channels, and its trigger compiles.
func TestOffers(t *testing.T) {
	stages, channels := map[string]int{}, map[string]bool{}
	for _, o := range demo.Offers() {
		if _, err := offer.CompileOffer(o); err != nil {
			t.Errorf("offer %s: %v", o.ID, err)
		}
		stages[o.Stage]++
		for _, ch := range o.Channels {
			channels[ch] = true
		}
	}
	for _, st := range rapport.OfferStages {
		if stages[st] < 2 {
			t.Errorf("%d offers of stage %s, want at least 2", stages[st], st)
		}
	}
	if len(channels) < 5 {
		t.Errorf("channels %v, want at least 5", channels)
	}
	for _, tr := range demo.OfferTriggers() {
		if _, err := offer.CompileTrigger(tr); err != nil {
			t.Errorf("trigger %s: %v", tr.ID, err)
		}
	}
}

// TestOfferHistoryDeterministic: visits and consents are a function of
// the seed and time, visits in time order within the period; answers
// depend on the order they are asked in only.
func TestOfferHistoryDeterministic(t *testing.T) {
	now := time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)
	visits := demo.OfferVisits(1, now, 100)
	if !reflect.DeepEqual(visits, demo.OfferVisits(1, now, 100)) {
		t.Fatal("two calls gave different visits")
	}
	if len(visits) < 100 {
		t.Fatalf("%d visits of 100 people, want more", len(visits))
	}
	for i, v := range visits {
		if v.At.Before(now.Add(-demo.OfferPeriod-24*time.Hour)) || !v.At.Before(now) || (i > 0 && v.At.Before(visits[i-1].At)) {
			t.Fatalf("visit %d at %s: want in time order within the period before %s", i, v.At, now)
		}
		if h := v.At.Hour(); h < 9 || h >= 19 {
			t.Errorf("visit %d at %s: outside 09:00-19:00", i, v.At)
		}
	}
	consents := demo.OfferConsents(1, now, 100)
	if !reflect.DeepEqual(consents, demo.OfferConsents(1, now, 100)) || len(consents) < 50 {
		t.Fatalf("%d consents, or two calls differ", len(consents))
	}
	for _, e := range consents {
		if err := e.Validate(); err != nil {
			t.Fatalf("consent %s: %v", e.MessageID, err)
		}
	}
	answers := func() []string {
		a := demo.NewOfferAudience(1, 100)
		var out []string
		for i, v := range visits {
			for _, o := range demo.Offers() {
				typ, _ := a.Answer(v.Person, i, o)
				out = append(out, typ)
			}
		}
		return out
	}
	if !reflect.DeepEqual(answers(), answers()) {
		t.Error("the same questions got different answers")
	}
}

// TestOfferAudienceMovesThroughStages: someone offered every stage's
// offers again and again accepts acquisition first, then activation,
// then activity, far more than they accept offers of other stages.
func TestOfferAudienceMovesThroughStages(t *testing.T) {
	a := demo.NewOfferAudience(1, 300)
	accepted := map[string]int{}
	offers := map[string]*rapport.Offer{}
	for _, o := range demo.Offers() {
		offers[o.Stage] = o
	}
	for person := range 300 {
		stage := 0
		for visit := range 30 {
			o := offers[rapport.OfferStages[stage]]
			if typ, _ := a.Answer(person, visit, o); typ == rapport.OutcomeAccepted || typ == rapport.OutcomeConverted {
				accepted[o.Stage]++
				stage = min(stage+1, 2)
			}
		}
	}
	if accepted[rapport.StageAcquisition] < 200 || accepted[rapport.StageActivation] < 100 || accepted[rapport.StageActivity] < 50 {
		t.Errorf("accepts by stage %v: want most people through acquisition, many through activation", accepted)
	}
}

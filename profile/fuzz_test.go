package profile_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/rapportdev/rapport"
)

// FuzzApply feeds arbitrary JSON as traits, properties and context through
// every kind of call and checks that applying never panics and keeps the
// purchase aggregates consistent.
func FuzzApply(f *testing.F) {
	f.Add([]byte(`{"email":"a@b.c","plan":"pro"}`), []byte(`{"order_id":"o1","revenue":"12.5","products":[{"price":"3","quantity":2}]}`), []byte(`{"channel":"pos","sessionId":5}`), "Order Completed")
	f.Add([]byte(`{"phone":12}`), []byte(`{"products":{"price":1e308,"quantity":1e308}}`), []byte(`{"traits":{"email":7},"library":[]}`), "Order Refunded")
	f.Fuzz(func(t *testing.T, traitsJSON, propsJSON, contextJSON []byte, name string) {
		traits, props, ctx := object(traitsJSON), object(propsJSON), object(contextJSON)
		v := newMemView()
		events := []*rapport.Event{
			{Type: rapport.EventIdentify, AnonymousID: "a", Traits: traits, Context: ctx, Timestamp: at(0)},
			{Type: rapport.EventTrack, AnonymousID: "a", Event: rapport.EventOrderCompleted, Properties: props, Context: ctx, Timestamp: at(1)},
			{Type: rapport.EventTrack, UserID: "u", Event: name, Properties: props, Context: ctx, Timestamp: at(2)},
			{Type: rapport.EventGroup, UserID: "u", GroupID: name, Traits: traits, Context: ctx, Timestamp: at(3)},
			{Type: rapport.EventAlias, UserID: "u", PreviousID: "a", Context: ctx, Timestamp: at(4)},
			{Type: rapport.EventTrack, UserID: "u", Event: rapport.EventOrderRefunded, Properties: props, Context: ctx, Timestamp: at(5)},
			{Type: rapport.EventPage, AnonymousID: name, Properties: props, Context: ctx, Timestamp: at(6)},
		}
		c := v.apply(t, events...)
		seen := map[string]bool{}
		for _, p := range c.Profiles {
			if seen[p.ID] {
				t.Errorf("profile %s listed twice", p.ID)
			}
			seen[p.ID] = true
			checkAggregates(t, p)
		}
	})
}

// object reads fuzz bytes as a JSON object, or nil.
func object(b []byte) map[string]any {
	var m map[string]any
	if json.Unmarshal(b, &m) != nil {
		return nil
	}
	return m
}

func checkAggregates(t *testing.T, p *rapport.Profile) {
	t.Helper()
	a := p.Aggregates
	if a.Orders < 0 || a.Sessions < 0 {
		t.Errorf("profile %s: orders, sessions = %d, %d, want >= 0", p.ID, a.Orders, a.Sessions)
	}
	for _, f := range []float64{a.Revenue, a.Cost, a.Margin, a.AverageOrderValue} {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			t.Errorf("profile %s: aggregates %+v hold a non-finite number", p.ID, a)
		}
	}
	if a.Orders > 0 && a.AverageOrderValue != a.Revenue/float64(a.Orders) {
		t.Errorf("profile %s: aov = %v, want revenue/orders = %v", p.ID, a.AverageOrderValue, a.Revenue/float64(a.Orders))
	}
	if a.Orders == 0 && a.AverageOrderValue != 0 {
		t.Errorf("profile %s: aov = %v with no orders, want 0", p.ID, a.AverageOrderValue)
	}
	if a.Revenue < 0 {
		t.Errorf("profile %s: revenue = %v, want >= 0", p.ID, a.Revenue)
	}
}

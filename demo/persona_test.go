package demo

import (
	"reflect"
	"slices"
	"testing"

	"github.com/rapportdev/rapport"
)

// buyerStats is what a shop owner would see of one buyer in the events.
type buyerStats struct {
	orders, revenue             float64
	channels                    map[string]float64
	brands, categories          map[string]float64
	views, reviews, shares      float64
	tickets, coupons            float64
	age, followers, effort      float64
	hasFollowers, hasEffortNote bool
}

// statsByUser sums each identified person's events.
func statsByUser(events []rapport.Event) map[string]*buyerStats {
	out := map[string]*buyerStats{}
	for _, e := range events {
		if e.UserID == "" {
			continue
		}
		s := out[e.UserID]
		if s == nil {
			s = &buyerStats{channels: map[string]float64{}, brands: map[string]float64{}, categories: map[string]float64{}}
			out[e.UserID] = s
		}
		s.add(e)
	}
	return out
}

func (s *buyerStats) add(e rapport.Event) {
	if age, ok := rapport.Number(e.Traits["age"]); ok {
		s.age = age
	}
	if f, ok := rapport.Number(e.Traits["followers"]); ok {
		s.followers, s.hasFollowers = f, true
	}
	if v, ok := rapport.Number(e.Traits["service_effort"]); ok {
		s.effort, s.hasEffortNote = v, true
	}
	switch e.Event {
	case rapport.EventOrderCompleted:
		s.orders++
		s.revenue += e.Properties["revenue"].(float64)
		s.channels[e.Properties["channel"].(string)]++
		if e.Properties["coupon"] != nil {
			s.coupons++
		}
		for _, p := range e.Properties["products"].([]any) {
			p := p.(map[string]any)
			line := p["price"].(float64) * p["quantity"].(float64)
			s.brands[p["brand"].(string)] += line
			s.categories[p["category"].(string)] += line
		}
	case "Product Viewed":
		s.views++
	case "Product Reviewed":
		s.reviews++
	case "Product Shared":
		s.shares++
	case "Support Ticket Opened":
		s.tickets++
	}
}

func (s *buyerStats) share(m map[string]float64, key string) float64 {
	var total float64
	for _, v := range m {
		total += v
	}
	return m[key] / total
}

// median of f over the buyers.
func median(buyers []*buyerStats, f func(*buyerStats) float64) float64 {
	vs := make([]float64, len(buyers))
	for i, b := range buyers {
		vs[i] = f(b)
	}
	slices.Sort(vs)
	return vs[len(vs)/2]
}

func TestPersonasAreTheBuyers(t *testing.T) {
	personas := Personas(5, 0)
	if !reflect.DeepEqual(personas, Personas(5, 0)) {
		t.Fatal("same seed and size gave different personas")
	}
	stats := statsByUser(Events(5, testNow, 0))
	counts := map[string]int{}
	for user, label := range personas {
		counts[label]++
		if s := stats[user]; s == nil || s.orders == 0 {
			t.Errorf("%s (%s) never orders", user, label)
		}
	}
	for user, s := range stats {
		if _, ok := personas[user]; !ok && s.orders > 0 {
			t.Errorf("%s orders %v times but has no persona", user, s.orders)
		}
	}
	for _, p := range personas {
		if counts[p] < len(personas)/8 {
			t.Errorf("persona %q: %d of %d buyers, want a fair share; counts %v", p, counts[p], len(personas), counts)
		}
	}
	if len(counts) != 4 || len(personas) < DefaultPeople/4 {
		t.Errorf("%d buyers in %d personas: %v", len(personas), len(counts), counts)
	}
	// Each person is drawn alone: a smaller demo has the same people.
	for user, label := range Personas(5, 40) {
		if personas[user] != label {
			t.Errorf("in a demo of 40, %s is %q; in the full demo %q", user, label, personas[user])
		}
	}
}

// TestPersonasBehave checks each persona, by the medians of its buyers,
// does what a shop owner would recognise it by.
func TestPersonasBehave(t *testing.T) {
	for _, seed := range []int64{1, 2} {
		personas := Personas(seed, 0)
		stats := statsByUser(Events(seed, testNow, 0))
		groups := map[string][]*buyerStats{}
		for user, label := range personas {
			groups[label] = append(groups[label], stats[user])
		}
		aov := func(s *buyerStats) float64 { return s.revenue / s.orders }
		channel := func(ch string) func(*buyerStats) float64 {
			return func(s *buyerStats) float64 { return s.share(s.channels, ch) }
		}
		tests := []struct {
			persona, what string
			f             func(*buyerStats) float64
			lo, hi        float64
		}{
			{PersonaTrustedBrand, "age", func(s *buyerStats) float64 { return s.age }, 33, 41},
			{PersonaTrustedBrand, "orders", func(s *buyerStats) float64 { return s.orders }, 1, 3},
			{PersonaTrustedBrand, "order value", aov, 200, 500},
			{PersonaTrustedBrand, "in-store share", channel("in-store"), 1, 1},
			{PersonaTrustedBrand, "Northpeak share", func(s *buyerStats) float64 { return s.share(s.brands, "Northpeak") }, 0.8, 1},
			{PersonaTrustedBrand, "product views", func(s *buyerStats) float64 { return s.views }, 20, 60},
			{PersonaInfluencer, "age", func(s *buyerStats) float64 { return s.age }, 17, 22},
			{PersonaInfluencer, "followers", func(s *buyerStats) float64 { return s.followers }, 2000, 5000},
			{PersonaInfluencer, "orders", func(s *buyerStats) float64 { return s.orders }, 3, 5},
			{PersonaInfluencer, "order value", aov, 20, 60},
			{PersonaInfluencer, "web share", channel("web"), 1, 1},
			{PersonaInfluencer, "shares per order", func(s *buyerStats) float64 { return s.shares / s.orders }, 1, 1},
			{PersonaInfluencer, "reviews per order", func(s *buyerStats) float64 { return s.reviews / s.orders }, 1, 1},
			{PersonaRegular, "orders", func(s *buyerStats) float64 { return s.orders }, 8, 14},
			{PersonaRegular, "order value", aov, 80, 200},
			{PersonaRegular, "web share", channel("web"), 0.3, 0.7},
			{PersonaRegular, "phone share", channel("phone"), 0.1, 0.5},
			{PersonaRegular, "in-store share", channel("in-store"), 0.1, 0.4},
			{PersonaRegular, "categories bought", func(s *buyerStats) float64 { return float64(len(s.categories)) }, 4, 5},
			{PersonaBargain, "age", func(s *buyerStats) float64 { return s.age }, 58, 74},
			{PersonaBargain, "orders", func(s *buyerStats) float64 { return s.orders }, 4, 6},
			{PersonaBargain, "order value", aov, 10, 40},
			{PersonaBargain, "phone share", channel("phone"), 0.7, 1},
			{PersonaBargain, "tickets per order", func(s *buyerStats) float64 { return s.tickets / s.orders }, 1, 2},
			{PersonaBargain, "orders with a coupon", func(s *buyerStats) float64 { return s.coupons / s.orders }, 1, 1},
			{PersonaBargain, "service effort", func(s *buyerStats) float64 { return s.effort }, 7, 10},
		}
		for _, tt := range tests {
			if got := median(groups[tt.persona], tt.f); got < tt.lo || got > tt.hi {
				t.Errorf("seed %d, %s: median %s %.2f, want %v … %v", seed, tt.persona, tt.what, got, tt.lo, tt.hi)
			}
		}
		for label, g := range groups {
			influencer := label == PersonaInfluencer
			for _, s := range g {
				if influencer != (s.hasFollowers && s.followers >= 1000) {
					t.Errorf("seed %d: a %s with followers %v", seed, label, s.followers)
					break
				}
				if bargain := label == PersonaBargain; s.hasEffortNote && !bargain {
					t.Errorf("seed %d: a %s with a service_effort trait", seed, label)
					break
				}
			}
		}
	}
}

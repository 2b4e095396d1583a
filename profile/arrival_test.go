package profile_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/rapportdev/rapport"
)

// personEvents is one person's events: anonymous visits on two devices
// (one with RudderStack's session ids), sign-ins that join them, product
// views and orders, spread over three days.
func personEvents() []*rapport.Event {
	var evs []*rapport.Event
	add := func(ev *rapport.Event) { evs = append(evs, ev) }
	for _, m := range []int{0, 10, 25, 70, 2000} {
		add(page("a1", m))
	}
	for i, m := range []int{40, 45, 200, 1500} {
		add(withContext(page("a2", m), map[string]any{"sessionId": fmt.Sprint(1 + i/2)}))
	}
	add(identify("u", "a1", 80, map[string]any{"email": "u@example.com"}))
	add(track("u", "", "Product Viewed", 90, nil))
	add(track("u", "", "Order Completed", 95, map[string]any{"order_id": "o1", "revenue": 20.0,
		"products": []any{map[string]any{"product_id": "p1", "category": "books", "price": 20.0}}}))
	add(identify("u", "a2", 1510, nil))
	add(track("u", "", "Order Completed", 3000, map[string]any{"order_id": "o2", "revenue": 35.0,
		"products": []any{map[string]any{"product_id": "p2", "category": "music", "price": 35.0}}}))
	add(track("u", "", "Review Submitted", 3010, nil))
	for i, ev := range evs {
		ev.MessageID = fmt.Sprintf("e%d", i)
	}
	return evs
}

// TestAggregatesDoNotDependOnArrivalOrder applies one person's events in
// time order and in shuffled orders, in batches of random sizes, and wants
// the same aggregates every time: sessions, first times and all. Shuffled,
// the anonymous devices often become profiles of their own that a later
// sign-in merges, as when their events wait on another partition.
func TestAggregatesDoNotDependOnArrivalOrder(t *testing.T) {
	want := applyInBatches(t, personEvents(), nil)
	// Runs at minutes 0-95 (two devices, one sign-in), 200, 1500-1510,
	// 2000 and 3000-3010.
	if want.Sessions != 5 {
		t.Fatalf("in time order: %d sessions, want 5 (runs %v)", want.Sessions, want.SessionRuns.Runs)
	}
	if got := len(want.Firsts.Orders); got != 2 || len(want.Firsts.Identities) != 3 {
		t.Fatalf("in time order: firsts %+v", want.Firsts)
	}
	for seed := range uint64(200) {
		rng := rand.New(rand.NewPCG(seed, 1))
		evs := personEvents()
		rng.Shuffle(len(evs), func(i, j int) { evs[i], evs[j] = evs[j], evs[i] })
		got := applyInBatches(t, evs, rng)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("seed %d: aggregates differ from the time-ordered run\n got %+v\nwant %+v", seed, got, want)
		}
	}
}

// applyInBatches applies evs in order, in batches of 1 to 4 events when
// rng is set, and returns the aggregates of user u.
func applyInBatches(t *testing.T, evs []*rapport.Event, rng *rand.Rand) rapport.Aggregates {
	t.Helper()
	v := newMemView()
	for len(evs) > 0 {
		n := len(evs)
		if rng != nil {
			n = min(n, 1+rng.IntN(4))
		}
		v.apply(t, evs[:n]...)
		evs = evs[n:]
	}
	return v.user(t, "u").Aggregates
}

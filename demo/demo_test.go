package demo

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
)

var testNow = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)

func TestDeterministic(t *testing.T) {
	a := Events(42, testNow, 0)
	b := Events(42, testNow, 0)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed, time and size gave different events")
	}
	c := Events(43, testNow, 0)
	if reflect.DeepEqual(a, c) {
		t.Error("another seed gave the same events")
	}
}

func TestEventsAreValidOrderedAndInPeriod(t *testing.T) {
	events := Events(1, testNow, 0)
	// About 5,000: enough for every page to have something to show, few
	// enough to load in a moment.
	if len(events) < 4000 || len(events) > 7000 {
		t.Errorf("%d events for %d people, want about 5,000", len(events), DefaultPeople)
	}
	start := testNow.Add(-Period)
	for i := range events {
		e := &events[i]
		if err := e.Validate(); err != nil {
			t.Fatalf("event %d (%+v): %v", i, e, err)
		}
		if want := fmt.Sprintf("demo-1-%d", i+1); e.MessageID != want {
			t.Fatalf("event %d messageId %q, want %q", i, e.MessageID, want)
		}
		if e.Timestamp.Before(start) || e.Timestamp.After(testNow) {
			t.Errorf("event %d at %v, outside %v..%v", i, e.Timestamp, start, testNow)
		}
		if i > 0 && e.Timestamp.Before(events[i-1].Timestamp) {
			t.Fatalf("event %d at %v before event %d at %v", i, e.Timestamp, i-1, events[i-1].Timestamp)
		}
	}
}

func TestVariety(t *testing.T) {
	events := Events(7, testNow, 0)
	types := map[rapport.EventType]int{}
	names := map[string]int{}
	orderChannels := map[string]int{}
	people := map[string]bool{}
	for _, e := range events {
		types[e.Type]++
		names[e.Event]++
		if e.Event == rapport.EventOrderCompleted {
			orderChannels[e.Properties["channel"].(string)]++
			if len(e.Properties["products"].([]any)) == 0 {
				t.Errorf("order %v without products", e.Properties["order_id"])
			}
		}
		if e.AnonymousID != "" && !strings.HasSuffix(e.AnonymousID, "-m") {
			people[e.AnonymousID] = true
		}
	}
	t.Logf("%d events: types %v; names %v; order channels %v", len(events), types, names, orderChannels)
	for _, typ := range []rapport.EventType{rapport.EventIdentify, rapport.EventTrack, rapport.EventPage,
		rapport.EventScreen, rapport.EventGroup, rapport.EventAlias} {
		if types[typ] == 0 {
			t.Errorf("no %s events; types: %v", typ, types)
		}
	}
	for _, name := range []string{rapport.EventOrderCompleted, rapport.EventOrderRefunded, "Product Viewed", "Product Reviewed",
		"Product Shared", "Support Ticket Opened", "Referral Sent", "Email Opened"} {
		if names[name] == 0 {
			t.Errorf("no %q events; names: %v", name, names)
		}
	}
	for _, ch := range []string{"web", "in-store", "phone"} {
		if orderChannels[ch] == 0 {
			t.Errorf("no %s orders: %v", ch, orderChannels)
		}
	}
	if len(people) < DefaultPeople*9/10 {
		t.Errorf("%d people seen, want about %d", len(people), DefaultPeople)
	}
}

// TestMergeCausingPattern checks the demo holds an identify whose email
// differs only in case from another profile's, on another device: what
// identity resolution must merge.
func TestMergeCausingPattern(t *testing.T) {
	events := Events(3, testNow, 0)
	byEmail := map[string][]rapport.Event{}
	for _, e := range events {
		if e.Type != rapport.EventIdentify {
			continue
		}
		if email, ok := e.Traits["email"].(string); ok {
			key := rapport.NormalizeEmail(email)
			byEmail[key] = append(byEmail[key], e)
		}
	}
	merges := 0
	for _, ids := range byEmail {
		if len(ids) < 2 {
			continue
		}
		a, b := ids[0], ids[1]
		if a.AnonymousID != b.AnonymousID && a.Traits["email"] != b.Traits["email"] && b.UserID == "" {
			merges++
		}
	}
	if merges < 2 {
		t.Errorf("%d people log in on a second device with their email in another case, want at least 2", merges)
	}
}

func TestSize(t *testing.T) {
	small := Events(1, testNow, 20)
	large := Events(1, testNow, 200)
	if len(small) == 0 || len(large) < 5*len(small) {
		t.Errorf("%d events for 20 people, %d for 200", len(small), len(large))
	}
}

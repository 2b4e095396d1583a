package scoring_test

import (
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/scoring"
)

// now is the fixed present of every test.
var now = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

// person builds a profile with traits and identities ("email:a@b.c").
func person(traits map[string]any, ids ...string) *rapport.Profile {
	p := &rapport.Profile{ID: "p", Kind: rapport.ProfilePerson, Traits: traits}
	p.Identities = append(p.Identities, rapport.Identity{Kind: rapport.IdentityAnonymousID, Value: "anon"})
	for _, id := range ids {
		kind, value, _ := strings.Cut(id, ":")
		p.Identities = append(p.Identities, rapport.Identity{Kind: rapport.IdentityKind(kind), Value: value})
	}
	return p
}

// track records a track event on p's aggregates, as the profile package
// does, and returns it.
func track(p *rapport.Profile, name string, at time.Time) *rapport.Event {
	a := &p.Aggregates
	if a.Events == nil {
		a.Events = map[string]int64{}
	}
	a.Events[name]++
	if a.FirstSeen.IsZero() || at.Before(a.FirstSeen) {
		a.FirstSeen = at
	}
	if at.After(a.LastSeen) {
		a.LastSeen = at
	}
	return &rapport.Event{Type: rapport.EventTrack, Event: name, Timestamp: at, MessageID: name + at.String()}
}

// page records a page view.
func page(p *rapport.Profile, at time.Time) *rapport.Event {
	ev := track(p, "page", at)
	ev.Type, ev.Event = rapport.EventPage, ""
	p.Aggregates.PageViews++
	return ev
}

// order records an Order Completed in category on p's aggregates.
func order(p *rapport.Profile, at time.Time, category string) *rapport.Event {
	ev := track(p, rapport.EventOrderCompleted, at)
	a := &p.Aggregates
	a.Orders++
	if a.FirstOrderAt.IsZero() || at.Before(a.FirstOrderAt) {
		a.FirstOrderAt = at
	}
	if at.After(a.LastOrderAt) {
		a.LastOrderAt = at
	}
	if category != "" {
		if a.Categories == nil {
			a.Categories = map[string]float64{}
		}
		a.Categories[category] += 50
	}
	return ev
}

// mustParse parses a model or fails the test.
func mustParse(t testing.TB, yaml string) *scoring.Model {
	t.Helper()
	m, err := scoring.ParseModel([]byte(yaml))
	if err != nil {
		t.Fatalf("ParseModel: %v", err)
	}
	return m
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// small returns the model of testdata/small.yaml.
func small(t testing.TB) *scoring.Model {
	t.Helper()
	b, err := os.ReadFile("testdata/small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return mustParse(t, string(b))
}

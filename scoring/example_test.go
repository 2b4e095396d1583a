package scoring_test

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/scoring"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// scenario is one person of the worked example: a profile and the events
// that built it, scored live (each event at its own time) and then
// rescored as of now.
type scenario struct {
	name   string
	model  *scoring.Model
	result scoring.Result
	state  scoring.State
}

// happening is an event that, when it happens, updates the profile's
// aggregates as the profile package would and returns the event.
type happening func(p *rapport.Profile) *rapport.Event

func orderAt(at time.Time, category string) happening {
	return func(p *rapport.Profile) *rapport.Event { return order(p, at, category) }
}

func trackAt(name string, at time.Time) happening {
	return func(p *rapport.Profile) *rapport.Event { return track(p, name, at) }
}

// live applies the happenings one by one and scores each at its own time,
// as the processor will, then rescores at now.
func live(name string, m *scoring.Model, p *rapport.Profile, hs []happening) scenario {
	s := scenario{name: name, model: m}
	for _, h := range hs {
		ev := h(p)
		scoring.Score(m, p, &s.state, ev, ev.Timestamp)
	}
	s.result, _ = scoring.Rescore(m, p, &s.state, now)
	return s
}

// everyFewMonths returns an order every 91 days for three years, the last
// one `last` before now.
func everyFewMonths(last time.Duration, categories ...string) []happening {
	var hs []happening
	for i := 12; i >= 1; i-- {
		at := now.Add(-last - time.Duration(i-1)*91*day)
		hs = append(hs, orderAt(at, categories[i%len(categories)]))
	}
	return hs
}

// ana has been a customer for three years and visited the office yesterday.
func ana() scenario {
	traits := map[string]any{"age": 52, "income": 95000, "marital_status": "married", "children": 2,
		"address": map[string]any{"postal_code": "10115"}}
	return live("Ana, customer for three years, visited the office yesterday", scoring.B2C(),
		person(traits, "email:ana@example.com"),
		append(everyFewMonths(20*day, "insurance", "savings"), trackAt("Office Visited", now.Add(-day))))
}

// ben bought once ten days ago and has opened emails since.
func ben() scenario {
	hs := []happening{orderAt(now.Add(-10*day), "insurance")}
	for d := 9; d >= 1; d-- {
		hs = append(hs, trackAt("Email Opened", now.Add(-time.Duration(d)*day)))
	}
	traits := map[string]any{"age": 34, "income": 70000, "address": map[string]any{"postal_code": "10001"}}
	return live("Ben, new customer, only opens emails", scoring.B2C(),
		person(traits, "email:ben@example.com"), hs)
}

// chris left a badge scan at a trade show yesterday: a good-looking
// company, no purchase.
func chris() scenario {
	traits := map[string]any{"company": map[string]any{"name": "Northwind", "employees": 400, "region": "NY"}}
	return live("Chris, trade-show contact (badge scan), no purchase", scoring.B2B(),
		person(traits, "email:chris@northwind.example"), []happening{trackAt("Trade Show Visited", now.Add(-day))})
}

// dana's company has quietly ordered every few months for three years.
func dana() scenario {
	traits := map[string]any{"company": map[string]any{"name": "Contoso", "employees": 120, "region": "OH"}}
	return live("Dana, bought every few months for three years, nothing else", scoring.B2B(),
		person(traits, "email:dana@contoso.example"), everyFewMonths(40*day, "supplies"))
}

func TestWorkedExample(t *testing.T) {
	a, b, c, d := ana(), ben(), chris(), dana()
	if !scoring.Less(a.result, b.result) {
		t.Errorf("long-time customer who visited the office: priority %.1f, want above the new emailer's %.1f",
			a.result.Priority, b.result.Priority)
	}
	if !scoring.Less(d.result, c.result) {
		t.Errorf("quiet three-year buyer: priority %.1f, want above the trade-show contact's %.1f",
			d.result.Priority, c.result.Priority)
	}
	for _, tt := range []struct {
		s    scenario
		want scoring.Stage
	}{{a, scoring.StageLoyal}, {b, scoring.StageNew}, {c, scoring.StageLead}, {d, scoring.StageLoyal}} {
		if tt.s.result.Lifecycle.Stage != tt.want {
			t.Errorf("%s: stage %s, want %s", tt.s.name, tt.s.result.Lifecycle.Stage, tt.want)
		}
	}
	golden(t, "testdata/worked_example.md",
		"### (a) B2C\n\n"+table(a)+"\n"+table(b)+"\n### (b) B2B\n\n"+table(c)+"\n"+table(d))
}

// table renders a scenario as the markdown docs/scoring.md shows.
func table(s scenario) string {
	r := s.result
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** — fit %.1f (%s), engagement %.1f, stage %s since %s, **priority %.1f**\n\n",
		s.name, r.Fit.Score, r.Fit.Grade, r.Engagement.Score, r.Lifecycle.Stage,
		r.Lifecycle.Since.Format("2006-01-02"), r.Priority)
	b.WriteString("| dimension | rule | points | detail |\n|---|---|---:|---|\n")
	for _, c := range r.Explanation {
		fmt.Fprintf(&b, "| %s | %s | %.1f | %s |\n", c.Dimension, c.Rule, c.Points, c.Detail)
	}
	return b.String()
}

// golden compares got with the file at path, or rewrites it with -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs (go test -update rewrites it); got:\n%s", path, got)
	}
}

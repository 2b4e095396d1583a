package scoring_test

import (
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/scoring"
)

// TestSinceIsReadFromFirstTimes scores profiles never scored before, so
// the only transition is at now: Since comes from the first times the
// profile holds, or is now where they do not say (profiles stored before
// they were kept).
func TestSinceIsReadFromFirstTimes(t *testing.T) {
	m := small(t) // identified by email; loyal: 4 orders over 100d, or 3 product lines
	ago := func(days float64) time.Time { return now.Add(-time.Duration(days * float64(day))) }
	buyer := func(ids []string, orders []float64, cats map[string]float64, firsts bool) *rapport.Profile {
		p := person(nil, ids...)
		for _, d := range orders {
			cat := ""
			for c, at := range cats { // cats: category by the day it was first bought
				if at == d {
					cat = c
				}
			}
			order(p, ago(d), cat)
			if firsts {
				p.Aggregates.Firsts.SeeOrder(ago(d))
				if cat != "" {
					p.Aggregates.Firsts.SeeCategory(cat, ago(d))
				}
			}
		}
		return p
	}
	tests := []struct {
		name  string
		p     func() *rapport.Profile
		stage scoring.Stage
		since time.Time
	}{
		{"prospect: first event", func() *rapport.Profile {
			p := person(nil)
			page(p, ago(5))
			page(p, ago(1))
			return p
		}, scoring.StageProspect, ago(5)},
		{"lead: first identity of a lead-making kind", func() *rapport.Profile {
			p := person(nil, "email:a@example.com")
			page(p, ago(9))
			p.Aggregates.Firsts.SeeIdentity(rapport.IdentityAnonymousID, ago(9))
			p.Aggregates.Firsts.SeeIdentity(rapport.IdentityEmail, ago(3))
			return p
		}, scoring.StageLead, ago(3)},
		{"lead stored before first times: the transition", func() *rapport.Profile {
			p := person(nil, "email:a@example.com")
			page(p, ago(9))
			return p
		}, scoring.StageLead, now},
		{"lead whose first times began after an upgrade: the transition", func() *rapport.Profile {
			p := person(nil, "email:a@example.com")
			page(p, ago(9))
			p.Aggregates.Firsts = rapport.Firsts{Partial: true}
			p.Aggregates.Firsts.SeeIdentity(rapport.IdentityEmail, ago(1))
			return p
		}, scoring.StageLead, now},
		{"new customer: first order", func() *rapport.Profile {
			return buyer(nil, []float64{2}, nil, true)
		}, scoring.StageNew, ago(2)},
		{"repeat customer: second order", func() *rapport.Profile {
			return buyer(nil, []float64{20, 8}, nil, true)
		}, scoring.StageRepeat, ago(8)},
		{"repeat customer, orders older than first times: the transition", func() *rapport.Profile {
			p := buyer(nil, []float64{20, 8}, nil, false)
			p.Aggregates.Firsts.SeeOrder(ago(8))
			return p
		}, scoring.StageRepeat, now},
		{"loyal: the fourth order, 140 days after the first", func() *rapport.Profile {
			return buyer(nil, []float64{200, 150, 90, 60, 5}, nil, true)
		}, scoring.StageLoyal, ago(60)},
		{"loyal: the order that reaches the tenure", func() *rapport.Profile {
			return buyer(nil, []float64{120, 110, 100, 90, 10}, nil, true)
		}, scoring.StageLoyal, ago(10)},
		{"loyal: the third product line", func() *rapport.Profile {
			return buyer(nil, []float64{24, 16, 8}, map[string]float64{"books": 24, "music": 16, "film": 8}, true)
		}, scoring.StageLoyal, ago(8)},
		{"loyal: the third product line, two opened by one order", func() *rapport.Profile {
			p := buyer(nil, []float64{24, 16, 8}, map[string]float64{"books": 24, "film": 16, "games": 8}, true)
			p.Aggregates.Categories["music"] = 10
			p.Aggregates.Firsts.SeeCategory("music", ago(24))
			return p
		}, scoring.StageLoyal, ago(16)},
		{"advocate: loyal after the first review", func() *rapport.Profile {
			p := buyer(nil, []float64{200, 150, 90, 60, 5}, nil, true)
			track(p, "Review Submitted", ago(100))
			p.Aggregates.Firsts.SeeEvent("Review Submitted", ago(100))
			return p
		}, scoring.StageAdvocate, ago(60)},
		{"advocate: the first review after becoming loyal", func() *rapport.Profile {
			p := buyer(nil, []float64{200, 150, 90, 60, 5}, nil, true)
			track(p, "Review Submitted", ago(3))
			p.Aggregates.Firsts.SeeEvent("Review Submitted", ago(3))
			return p
		}, scoring.StageAdvocate, ago(3)},
		{"at risk: when the order became overdue", func() *rapport.Profile {
			return buyer(nil, []float64{70}, nil, true)
		}, scoring.StageAtRisk, ago(10)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var st scoring.State
			r, _ := scoring.Rescore(m, tt.p(), &st, now)
			if r.Lifecycle.Stage != tt.stage || !r.Lifecycle.Since.Equal(tt.since) {
				t.Errorf("lifecycle = %s since %v, want %s since %v", r.Lifecycle.Stage, r.Lifecycle.Since, tt.stage, tt.since)
			}
			if !st.Since.Equal(r.Lifecycle.Since) {
				t.Errorf("state since %v, result since %v", st.Since, r.Lifecycle.Since)
			}
		})
	}
}

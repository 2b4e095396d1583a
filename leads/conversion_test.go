package leads_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/lead"
	"github.com/rapportdev/rapport/leads"
)

// leadsRange is every lead.
func leadsRange() leads.Range { return leads.Range{} }

// order is an Order Completed of a user at a time, with its log seq.
func order(seq int64, id, userID string, at time.Time, revenue float64) rapport.Event {
	return rapport.Event{Seq: seq, MessageID: id, Type: rapport.EventTrack, Event: rapport.EventOrderCompleted, UserID: userID,
		Timestamp: at, ReceivedAt: at, Properties: map[string]any{"order_id": id, "revenue": revenue}}
}

// TestSweepCreditsOrdersToLeads stores a profile holding a lead person's
// anonymousId (as the processor leaves it once the person signed in) and
// its orders, as applied events: the sweep credits the lead reached
// before the order, once, however often it runs; an order of someone
// else, or before the lead, credits nothing.
func TestSweepCreditsOrdersToLeads(t *testing.T) {
	svc, st, _, _ := setup(t)
	ctx := context.Background()
	res, err := svc.Intake(ctx, vendor(t, st), []rapport.Lead{person(1), person(2)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Contacts(ctx, []rapport.LeadContact{{LeadID: res[0].LeadID, At: t0.Add(time.Minute), Outcome: "reached"}}); err != nil {
		t.Fatal(err)
	}
	p := &rapport.Profile{ID: "p1", Kind: rapport.ProfilePerson, Traits: map[string]any{}, CreatedAt: t0, UpdatedAt: t0,
		Identities: []rapport.Identity{{Kind: rapport.IdentityUserID, Value: "u1"}, {Kind: rapport.IdentityAnonymousID, Value: lead.AnonymousID(res[0].PersonID)}}}
	links := []rapport.IdentityLink{{Identity: p.Identities[0], ProfileID: "p1"}, {Identity: p.Identities[1], ProfileID: "p1"}}
	events := []rapport.Event{order(1, "o-before", "u1", t0.Add(-time.Hour), 99), order(2, "o1", "u1", t0.Add(time.Hour), 500),
		order(3, "o-other", "u2", t0.Add(time.Hour), 70), order(4, "o2", "u1", t0.Add(2*time.Hour), 250)}
	if err := st.ApplyChanges(ctx, rapport.Changes{Events: events, Profiles: []*rapport.Profile{p}, Identities: links, Checkpoint: 4}); err != nil {
		t.Fatal(err)
	}
	for run := range 2 {
		n, err := svc.SweepConversions(ctx)
		if want := []int{2, 0}[run]; err != nil || n != want {
			t.Fatalf("sweep %d credited %d, %v; want %d", run+1, n, err, want)
		}
	}
	l, _ := st.FindLeadByID(ctx, res[0].LeadID)
	if !l.ConvertedAt.Equal(t0.Add(time.Hour)) || l.ConvertedValue != 750 {
		t.Fatalf("lead converted at %v for %v, want %v for 750", l.ConvertedAt, l.ConvertedValue, t0.Add(time.Hour))
	}
	if c, _ := st.LeadConversionCursor(ctx); c != 4 {
		t.Fatalf("cursor %d, want 4", c)
	}
}

// TestScorecardsInSQLMatchTheDefinition adds up a book of leads in the
// store (SQLite) and in memory (lead.Scorecards, the definition): every
// period cut gives the same scorecards.
func TestScorecardsInSQLMatchTheDefinition(t *testing.T) {
	svc, st, _, clk := setup(t)
	ctx := context.Background()
	if err := svc.Declare(ctx, []rapport.Vendor{{ID: "v2", Name: "Two", SharedWith: 3, Price: 12, Active: true,
		Terms: rapport.VendorTerms{ReturnWindowHours: 10000}}}); err != nil {
		t.Fatal(err)
	}
	v2, _ := st.FindVendorByID(ctx, "v2")
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 120 {
		l := person(i % 90) // some people twice
		l.ExternalID = fmt.Sprintf("e%d", i)
		clk.t = t0.AddDate(0, 0, i/4).Add(time.Duration(r.IntN(3600)) * time.Second)
		l.SubmittedAt = clk.t.Add(-time.Duration(r.IntN(7200)) * time.Second)
		l.Consent.At = l.SubmittedAt
		if i%9 == 0 {
			l.Consent = nil
		}
		v := vendor(t, st)
		if i%3 == 0 {
			v = v2
		}
		res, err := svc.Intake(ctx, v, []rapport.Lead{l})
		if err != nil || res[0].Error != "" {
			t.Fatalf("intake %d: %+v, %v", i, res, err)
		}
		if i%4 == 0 {
			outcome := []string{"reached", "converted", "no_answer"}[i%3]
			if _, err := svc.Contacts(ctx, []rapport.LeadContact{{LeadID: res[0].LeadID, At: clk.t.Add(time.Minute), Outcome: outcome, Value: 100}}); err != nil {
				t.Fatal(err)
			}
		}
		if i%7 == 0 && v == v2 {
			if _, err := svc.Return(ctx, res[0].LeadID, "bad phone"); err != nil {
				t.Fatal(err)
			}
		}
	}
	all, _, err := st.FindBoughtLeads(ctx, rapport.BoughtLeadFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	since := t0.AddDate(0, 0, 7)
	var inRange []rapport.Lead
	for _, l := range all {
		if !l.ReceivedAt.Before(since) {
			inRange = append(inRange, l)
		}
	}
	for _, period := range []string{"", "day", "week", "month"} {
		got, err := svc.Scorecards(ctx, leadsRange(), period)
		if err != nil {
			t.Fatal(err)
		}
		if want := lead.Scorecards(all, period, svc.Pricing().CostToWork); !reflect.DeepEqual(got, want) {
			t.Errorf("period %q:\n got  %+v\n want %+v", period, got, want)
		}
		got, _ = svc.Scorecards(ctx, leads.Range{Since: since}, period)
		if want := lead.Scorecards(inRange, period, svc.Pricing().CostToWork); !reflect.DeepEqual(got, want) {
			t.Errorf("period %q since day 7:\n got  %+v\n want %+v", period, got, want)
		}
	}
}

package lead_test

import (
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/lead"
)

// worked is a small book of leads: two vendors, a person sold twice, one
// lead converted, one without consent, one waiting.
func worked() ([]rapport.Lead, []rapport.LeadContact) {
	min := func(n int) time.Time { return submitted.Add(time.Duration(n) * time.Minute) }
	pst := time.FixedZone("PST", -8*3600)
	ls := []rapport.Lead{
		{ID: "a", VendorID: "v1", PersonID: "a", Inquiry: 1, Price: 30, SubmittedAt: min(0).In(pst), ReceivedAt: min(2), DeliveredAt: min(1),
			Tier: "hot", Team: "closers", Contactable: true, Engagement: 90, EngagementLevel: "high",
			FirstAttemptAt: min(4), FirstContactAt: min(4), ConvertedAt: min(30), ConvertedValue: 900, Attempts: 1,
			Value:   rapport.LeadValue{Probability: 0.2, Expected: 185, MaxPrice: 148},
			Person:  rapport.LeadPerson{BirthYear: 1990, Address: rapport.LeadAddress{Region: "WA"}},
			Journey: rapport.LeadJourney{Visits: 3, FirstVisitAt: min(-3 * 24 * 60)}},
		{ID: "b", VendorID: "v2", PersonID: "a", Inquiry: 2, Price: 50, SubmittedAt: min(60).In(pst), ReceivedAt: min(70), DeliveredAt: min(70),
			Tier: "hot", Team: "closers", Contactable: true, Engagement: 60, EngagementLevel: "high",
			FirstAttemptAt: min(80), Attempts: 2, Value: rapport.LeadValue{Probability: 0.25, Expected: 235, MaxPrice: 188},
			Person: rapport.LeadPerson{BirthYear: 1990, Address: rapport.LeadAddress{Region: "WA"}}},
		{ID: "c", VendorID: "v2", PersonID: "c", Inquiry: 1, Price: 20, SubmittedAt: min(0), ReceivedAt: min(1), DeliveredAt: min(1),
			Tier: "hold", Team: "", Contactable: false, EngagementLevel: "bot",
			Person: rapport.LeadPerson{BirthYear: 1955, Address: rapport.LeadAddress{Region: "FL"}}},
		{ID: "d", VendorID: "v1", PersonID: "d", Inquiry: 1, Price: 30, SubmittedAt: min(100), ReceivedAt: min(101), DeliveredAt: min(101),
			Tier: "hot", Team: "closers", Contactable: true, Value: rapport.LeadValue{Probability: 0.1, Expected: 85, MaxPrice: 68},
			Answers: map[string]any{"age": 70.0}},
	}
	var cs []rapport.LeadContact
	for i := range 6 {
		cs = append(cs, rapport.LeadContact{LeadID: "a", At: min(4 + i), Reached: i%2 == 0})
	}
	return ls, cs
}

func TestSpeed(t *testing.T) {
	ls, _ := worked()
	now := submitted.Add(2 * time.Hour)
	s := lead.SpeedOf(&ls[0], now, lead.DefaultSLA())
	if s.Age != 7200 || s.AgeAtDelivery != 120 || s.DeliveryDelay != 60 || *s.ToFirstAttempt != 240 || *s.ToFirstContact != 240 || !*s.WithinSLA {
		t.Fatalf("speed of a: %+v", s)
	}
	if w := lead.SpeedOf(&ls[3], now, lead.DefaultSLA()).WithinSLA; w == nil || *w {
		t.Fatalf("a hot lead waiting 20 minutes: within SLA %v, want false", w)
	}
	if w := lead.SpeedOf(&ls[3], submitted.Add(102*time.Minute), lead.DefaultSLA()).WithinSLA; w != nil {
		t.Fatalf("a hot lead waiting 2 minutes: within SLA %v, want not judged yet", *w)
	}
	groups := lead.SpeedBy(ls, "vendor", now, lead.DefaultSLA())
	if len(groups) != 2 || groups[0].Key != "v1" || groups[0].Leads != 2 || groups[0].Attempted != 1 || groups[0].Breached != 1 ||
		groups[0].WithinSLA != 0.5 || groups[0].MedianToAttempt != 240 {
		t.Fatalf("speed by vendor %+v", groups)
	}
	if teams := lead.SpeedBy(ls, "team", now, lead.DefaultSLA()); teams[0].Key != "closers" || teams[0].Leads != 3 {
		t.Fatalf("speed by team %+v", teams)
	}
}

func TestDuplicates(t *testing.T) {
	ls, _ := worked()
	ps := lead.Duplicates(ls)
	if len(ps) != 1 || ps[0].PersonID != "a" || len(ps[0].Inquiries) != 2 || ps[0].Spend != 80 || !ps[0].Converted {
		t.Fatalf("duplicates %+v", ps)
	}
	equalStrings(t, "vendors that sold the person", ps[0].Vendors, []string{"v1", "v2"})
	if ps[0].SpanDays != 0.0417 {
		t.Fatalf("span %v days, want an hour", ps[0].SpanDays)
	}
}

func TestScorecards(t *testing.T) {
	ls, _ := worked()
	cards := lead.Scorecards(ls, "", 15)
	v1, v2 := cards[0], cards[1]
	if v1.VendorID != "v1" || v1.Leads != 2 || v1.Spend != 60 || v1.Conversions != 1 || v1.ConversionRate != 0.5 ||
		v1.CostPerAcquisition != 60 || v1.ROI != 9 || v1.ContactRate != 0.5 || v1.MedianAgeAtDelivery != 90 {
		t.Fatalf("v1 scorecard %+v", v1)
	}
	if v2.DuplicateRate != 0.5 || v2.ConsentFailures != 0.5 || v2.BotShare != 0.5 || v2.Conversions != 0 || v2.ROI != -1 {
		t.Fatalf("v2 scorecard %+v", v2)
	}
	if monthly := lead.Scorecards(ls, "month", 15); monthly[0].Period != "2026-11" {
		t.Fatalf("monthly %+v", monthly)
	}
	if weekly := lead.Scorecards(ls, "week", 15); weekly[0].Period != "2026-W48" {
		t.Fatalf("weekly period %q", weekly[0].Period)
	}
}

func TestPrices(t *testing.T) {
	ls, _ := worked()
	ps := lead.Prices(ls, "tier")
	if len(ps) != 3 || ps[0].VendorID != "v1" || ps[0].Segment != "hot" || ps[0].RecommendedPrice != 108 || ps[0].Overpaid != 0 {
		t.Fatalf("prices %+v", ps)
	}
}

func TestTrends(t *testing.T) {
	ls, cs := worked()
	tr := lead.Trends(ls, cs, "age_cohort")
	if len(tr) != 2 || tr[0].Group != "boomer" || tr[0].People != 2 || tr[0].BestHour != -1 {
		t.Fatalf("trends %+v; want boomers (c, and d by its age answer) first, by name among equals", tr)
	}
	m := tr[1]
	if m.Group != "millennial" || m.Leads != 2 || m.People != 1 || m.InquiriesPerPerson != 2 ||
		m.ConversionRate != 0.5 || m.MedianVisits != 3 || m.MedianResearchDays != 3 {
		t.Fatalf("millennials %+v", m)
	}
	// Attempts at 14:04 UTC are 06:04 in the consumer's offset (PST).
	if m.BestHour != 6 || m.BestHourReach != 0.5 || m.BestDay != "Monday" {
		t.Fatalf("best time %d %v %s", m.BestHour, m.BestHourReach, m.BestDay)
	}
	regions := lead.Trends(ls, cs, "region")
	if regions[0].Group != "pacific_northwest" {
		t.Fatalf("regions %+v", regions)
	}
}

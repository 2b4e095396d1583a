package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
)

// testLeadConversions checks that orders credit leads once each, at the
// earliest time with every order's revenue, that the cursor only moves
// forward, and that a conversion of a lead gone is skipped.
func testLeadConversions(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	createLeads(t, s, []rapport.Lead{boughtLead("l1", "v1", 0, "ana@example.com", ""),
		boughtLead("l2", "v1", 60, "bo@example.com", "")}, [][]string{{"e:ana@example.com"}, {"e:bo@example.com"}})
	if c, err := s.LeadConversionCursor(ctx); err != nil || c != 0 {
		t.Fatalf("LeadConversionCursor on a new store = %d, %v; want 0", c, err)
	}
	n, err := s.ConvertLeads(ctx, []rapport.LeadConversion{
		{LeadID: "l1", MessageID: "o2", At: at(500), Revenue: 30},
		{LeadID: "l1", MessageID: "o1", At: at(400), Revenue: 100.5},
		{LeadID: "gone", MessageID: "o3", At: at(400), Revenue: 7},
	}, 12)
	if err != nil || n != 2 {
		t.Fatalf("ConvertLeads = %d, %v; want 2 credited", n, err)
	}
	// A second sweep over the same events credits nothing again.
	if n, err := s.ConvertLeads(ctx, []rapport.LeadConversion{{LeadID: "l1", MessageID: "o1", At: at(400), Revenue: 100.5}}, 9); err != nil || n != 0 {
		t.Fatalf("ConvertLeads again = %d, %v; want 0", n, err)
	}
	l, err := s.FindLeadByID(ctx, "l1")
	if err != nil {
		t.Fatal(err)
	}
	if !l.ConvertedAt.Equal(at(400)) || l.ConvertedValue != 130.5 {
		t.Errorf("converted lead: at %v value %v, want %v and 130.5", l.ConvertedAt, l.ConvertedValue, at(400))
	}
	if l2, _ := s.FindLeadByID(ctx, "l2"); l2 == nil || !l2.ConvertedAt.IsZero() {
		t.Errorf("lead l2 converted by another's order: %+v", l2)
	}
	if c, err := s.LeadConversionCursor(ctx); err != nil || c != 12 {
		t.Errorf("cursor = %d, %v; want 12 (never moved back)", c, err)
	}
	_, err = s.ConvertLeads(ctx, []rapport.LeadConversion{{LeadID: "l1", At: at(1)}}, 13)
	wantCode(t, "ConvertLeads without a message id", err, rapport.EINVALID)
}

// testLeadReturns checks returns and the filters on them, on consent
// failures and on a vendor's lead id.
func testLeadReturns(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	bad := boughtLead("l2", "v1", 60, "bo@example.com", "")
	bad.Contactable, bad.ConsentProblem = false, "consent: missing"
	createLeads(t, s, []rapport.Lead{boughtLead("l1", "v1", 0, "ana@example.com", ""), bad},
		[][]string{{"e:ana@example.com"}, {"e:bo@example.com"}})
	r := rapport.LeadReturn{LeadID: "l1", Reason: "bad phone", At: at(3600), Credit: 20}
	if err := s.ReturnLead(ctx, r); err != nil {
		t.Fatalf("ReturnLead: %v", err)
	}
	wantCode(t, "ReturnLead again", s.ReturnLead(ctx, r), rapport.ECONFLICT)
	wantCode(t, "ReturnLead unknown", s.ReturnLead(ctx, rapport.LeadReturn{LeadID: "zz", Reason: "x", At: at(1)}), rapport.ENOTFOUND)
	wantCode(t, "ReturnLead without a reason", s.ReturnLead(ctx, rapport.LeadReturn{LeadID: "l2", At: at(1)}), rapport.EINVALID)
	l, err := s.FindLeadByID(ctx, "l1")
	if err != nil {
		t.Fatal(err)
	}
	if !l.ReturnedAt.Equal(at(3600)) || l.ReturnReason != "bad phone" || l.Credit != 20 {
		t.Errorf("returned lead: %v %q %v, want %v, bad phone, 20", l.ReturnedAt, l.ReturnReason, l.Credit, at(3600))
	}
	for _, c := range []struct {
		what string
		f    rapport.BoughtLeadFilter
		want string
	}{
		{"Returned", rapport.BoughtLeadFilter{Returned: true}, "l1"},
		{"ConsentFailed", rapport.BoughtLeadFilter{ConsentFailed: true}, "l2"},
		{"ExternalID", rapport.BoughtLeadFilter{VendorID: "v1", ExternalID: "x-l2"}, "l2"},
	} {
		got, total, err := s.FindBoughtLeads(ctx, c.f)
		if err != nil || total != 1 || len(got) != 1 || got[0].ID != c.want {
			t.Errorf("FindBoughtLeads %s = %d leads (%v), total %d; want only %s", c.what, len(got), err, total, c.want)
		}
	}
}

// testLeadTotals checks the sums per vendor and UTC day, ages at
// delivery in order, and the persons sold more than once.
func testLeadTotals(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	day := 24 * 3600
	a := boughtLead("a", "v1", 0, "ana@example.com", "")
	a.Price, a.Value = 30, rapport.LeadValue{Expected: 40, MaxPrice: 25} // overpaid
	a.Engagement = 80
	b := boughtLead("b", "v1", 100, "ana@example.com", "") // Ana again: a duplicate
	b.Contactable, b.EngagementLevel = false, "bot"
	b.ReceivedAt = at(100 + 400)
	c := boughtLead("c", "v1", day, "cy@example.com", "")
	c.OverCap, c.Price = true, 0
	d := boughtLead("d", "v2", 0, "di@example.com", "")
	createLeads(t, s, []rapport.Lead{a, b, c, d}, [][]string{{"e:ana@example.com"}, {"e:ana@example.com"}, {"e:cy@example.com"}, {"e:di@example.com"}})
	if _, err := s.ConvertLeads(ctx, []rapport.LeadConversion{{LeadID: "a", MessageID: "o1", At: at(900), Revenue: 250}}, 1); err != nil {
		t.Fatal(err)
	}
	if err := s.ReturnLead(ctx, rapport.LeadReturn{LeadID: "b", Reason: "duplicate", At: at(1000), Credit: 20}); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordLeadContacts(ctx, []rapport.LeadContact{{LeadID: "a", MessageID: "m1", At: at(200), Outcome: "reached", Reached: true}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.FindLeadTotals(ctx, rapport.BoughtLeadFilter{})
	if err != nil {
		t.Fatal(err)
	}
	day0 := time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC)
	want := []rapport.LeadTotals{
		{VendorID: "v1", Day: day0, Leads: 2, Spend: 50, Contacted: 1, Conversions: 1, Revenue: 250, ConsentFailures: 1,
			Bots: 1, Duplicates: 1, Overpaid: 1, Returns: 1, Credits: 20, Engagement: 80, Expected: 40, MaxPrice: 25},
		{VendorID: "v1", Day: day0.AddDate(0, 0, 1), Leads: 1, OverCap: 1},
		{VendorID: "v2", Day: day0, Leads: 1, Spend: 20, Overpaid: 1},
	}
	equal(t, "FindLeadTotals", got, want)
	got, err = s.FindLeadTotals(ctx, rapport.BoughtLeadFilter{VendorID: "v1", Since: day0.AddDate(0, 0, 1)})
	if err != nil || len(got) != 1 || got[0].Leads != 1 {
		t.Errorf("FindLeadTotals of v1 from day 1 = %+v, %v; want the one lead of day 1", got, err)
	}
	delays, err := s.FindLeadDelays(ctx, rapport.BoughtLeadFilter{VendorID: "v1"}, 1, 5)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "FindLeadDelays from offset 1", delays, []time.Duration{31 * time.Second, 400 * time.Second})
	persons, total, err := s.FindDuplicatePersons(ctx, rapport.BoughtLeadFilter{Limit: 10})
	if err != nil || total != 1 || len(persons) != 1 {
		t.Fatalf("FindDuplicatePersons = %v, %d, %v; want Ana alone", persons, total, err)
	}
	if l, _ := s.FindLeadByID(ctx, "b"); l == nil || l.PersonID != persons[0] {
		t.Errorf("duplicate person %s is not Ana's", persons[0])
	}
	page, err := s.ScanBoughtLeads(ctx, rapport.BoughtLeadFilter{VendorID: "v1"}, "", 2)
	if err != nil || len(page) != 2 || page[0].ID != "a" || page[1].ID != "b" {
		t.Fatalf("ScanBoughtLeads first page = %d leads, %v; want a, b", len(page), err)
	}
	if page, err = s.ScanBoughtLeads(ctx, rapport.BoughtLeadFilter{VendorID: "v1"}, "b", 2); err != nil || len(page) != 1 || page[0].ID != "c" {
		t.Fatalf("ScanBoughtLeads after b = %d leads, %v; want c", len(page), err)
	}
	cs, err := s.FindContactsOf(ctx, []string{"a", "c"})
	if err != nil || len(cs) != 1 || cs[0].MessageID != "m1" {
		t.Errorf("FindContactsOf = %+v, %v; want the one attempt on a", cs, err)
	}
	testLeadHistogram(t, s)
}

// testLeadHistogram checks the buckets of the leads testLeadTotals
// stored: delays of 31 s (a, c, d) and 400 s (b); one attempt, on a, 200
// s after submission.
func testLeadHistogram(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	bounds := []time.Duration{time.Minute, time.Hour}
	got, err := s.FindLeadHistogram(ctx, rapport.BoughtLeadFilter{}, rapport.MeasureAgeAtDelivery, bounds, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "age at delivery", got, []rapport.LeadBucket{{VendorID: "v1", Bucket: 0, Leads: 2},
		{VendorID: "v1", Bucket: 1, Leads: 1}, {VendorID: "v2", Bucket: 0, Leads: 1}})
	got, err = s.FindLeadHistogram(ctx, rapport.BoughtLeadFilter{VendorID: "v1"}, rapport.MeasureToFirstAttempt, bounds, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "to first attempt", got, []rapport.LeadBucket{{VendorID: "v1", Bucket: -1, Leads: 2}, {VendorID: "v1", Bucket: 1, Leads: 1}})
	got, err = s.FindLeadHistogram(ctx, rapport.BoughtLeadFilter{VendorID: "v2"}, rapport.MeasureAge, bounds, at(2*3600))
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "age now", got, []rapport.LeadBucket{{VendorID: "v2", Bucket: 2, Leads: 1}})
	_, err = s.FindLeadHistogram(ctx, rapport.BoughtLeadFilter{}, "price; DROP TABLE leads", bounds, time.Time{})
	wantCode(t, "unknown measure", err, rapport.EINVALID)
	_, err = s.FindLeadHistogram(ctx, rapport.BoughtLeadFilter{}, rapport.MeasureAge, []time.Duration{time.Hour, time.Minute}, time.Time{})
	wantCode(t, "bounds not increasing", err, rapport.EINVALID)
}

package storetest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
)

// vendor returns a valid vendor.
func vendor(id string) *rapport.Vendor {
	return &rapport.Vendor{ID: id, Name: "Vendor " + id, Price: 25, SharedWith: 2,
		Attributes: map[string]string{"source": "search"}, Terms: rapport.VendorTerms{ReturnWindowHours: 72},
		Active: true, CreatedAt: at(1), UpdatedAt: at(1)}
}

// boughtLead returns a lead of vendor v submitted n seconds after base,
// with its contact data in person (email and phone may be "").
func boughtLead(id, v string, n int, email, phone string) rapport.Lead {
	return rapport.Lead{ID: id, VendorID: v, ExternalID: "x-" + id, Price: 20,
		Person:      rapport.LeadPerson{FirstName: "Ana", LastName: "Díaz", Email: email, Phone: phone},
		Answers:     map[string]any{"product": "auto", "drivers": 2.0},
		SubmittedAt: at(n), DeliveredAt: at(n + 30), ReceivedAt: at(n + 31), Tier: "hot", Contactable: true,
		Raw: json.RawMessage(`{"externalId":"x-` + id + `"}`)}
}

// createLeads stores leads with their keys, under no cap, and returns
// them as stored; it fails the test on error.
func createLeads(t *testing.T, s rapport.Store, leads []rapport.Lead, keys [][]string) []rapport.Lead {
	t.Helper()
	got, err := s.CreateLeads(context.Background(), leads, keys, nil, nil)
	if err != nil {
		t.Fatalf("CreateLeads: %v", err)
	}
	out := make([]rapport.Lead, len(got))
	for i, c := range got {
		if c.Refused != nil {
			t.Fatalf("CreateLeads without caps refused lead %d over %+v", i, *c.Refused)
		}
		out[i] = c.Lead
	}
	return out
}

func testVendors(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	if vs, err := s.FindVendors(ctx); err != nil || len(vs) != 0 {
		t.Fatalf("FindVendors on a new store = %v, %v; want none", vs, err)
	}
	b, a := vendor("b"), vendor("a")
	for _, v := range []*rapport.Vendor{b, a} {
		if err := s.CreateVendor(ctx, v); err != nil {
			t.Fatalf("CreateVendor(%s): %v", v.ID, err)
		}
	}
	wantCode(t, "CreateVendor with a taken id", s.CreateVendor(ctx, vendor("a")), rapport.ECONFLICT)
	wantCode(t, "CreateVendor invalid", s.CreateVendor(ctx, &rapport.Vendor{ID: "bad id"}), rapport.EINVALID)
	vs, err := s.FindVendors(ctx)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "FindVendors", vs, []*rapport.Vendor{a, b})
	a.Exclusive, a.SharedWith, a.Price = true, 0, 80
	if err := s.UpdateVendor(ctx, a); err != nil {
		t.Fatalf("UpdateVendor: %v", err)
	}
	got, err := s.FindVendorByID(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "vendor after update", got, a)
	wantCode(t, "UpdateVendor unknown", s.UpdateVendor(ctx, vendor("zz")), rapport.ENOTFOUND)
	_, err = s.FindVendorByID(ctx, "zz")
	wantCode(t, "FindVendorByID unknown", err, rapport.ENOTFOUND)
	createLeads(t, s, []rapport.Lead{boughtLead("l1", "a", 0, "ana@example.com", "")}, [][]string{{"e:ana@example.com"}})
	wantCode(t, "DeleteVendor with leads", s.DeleteVendor(ctx, "a"), rapport.ECONFLICT)
	if err := s.DeleteVendor(ctx, "b"); err != nil {
		t.Fatalf("DeleteVendor: %v", err)
	}
	wantCode(t, "DeleteVendor again", s.DeleteVendor(ctx, "b"), rapport.ENOTFOUND)
}

// testCreateLeads checks duplicates: persons found by keys, inquiries
// counted (within one call too), retries returning the stored lead, and
// two persons merged when a lead's keys find both.
func testCreateLeads(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	got := createLeads(t, s, []rapport.Lead{
		boughtLead("l1", "v1", 0, "ana@example.com", ""),
		boughtLead("l2", "v2", 60, "", "+15551230000"),
		boughtLead("l3", "v2", 120, "ana@example.com", ""),
	}, [][]string{{"e:ana@example.com"}, {"p:+15551230000"}, {"e:ana@example.com", "na:diaz|ana|1 main st|98101"}})
	want := []struct {
		person           string
		inquiry, vendors int
		earlier          time.Time
	}{{"l1", 1, 0, time.Time{}}, {"l2", 1, 0, time.Time{}}, {"l1", 2, 1, at(0)}}
	for i, w := range want {
		l := got[i]
		if l.PersonID != w.person || l.Inquiry != w.inquiry || l.EarlierVendors != w.vendors || !l.EarlierAt.Equal(w.earlier) {
			t.Fatalf("lead %s: person %q inquiry %d vendors %d earlier %v; want %+v", l.ID, l.PersonID, l.Inquiry,
				l.EarlierVendors, l.EarlierAt, w)
		}
	}
	// A retry (same vendor and external id) returns the stored lead.
	retry := boughtLead("l9", "v2", 120, "ana@example.com", "")
	retry.ExternalID = "x-l3"
	again, err := s.CreateLeads(ctx, []rapport.Lead{retry}, [][]string{{"e:ana@example.com"}}, nil, nil)
	if err != nil || !again[0].Retry || again[0].Lead.ID != "l3" || again[0].Lead.Inquiry != 2 {
		t.Fatalf("retry returned %+v, %v; want the stored l3 (inquiry 2), a retry", again, err)
	}
	// The email and the phone turn out to be one person: l2's person joins l1's.
	var completed []string
	created, err := s.CreateLeads(ctx, []rapport.Lead{boughtLead("l4", "v3", 180, "ana@example.com", "+15551230000")},
		[][]string{{"e:ana@example.com", "p:+15551230000"}}, nil, func(l *rapport.Lead) {
			completed = append(completed, l.ID)
			l.Tier = "warm"
		})
	if err != nil {
		t.Fatal(err)
	}
	joined := created[0].Lead
	if joined.PersonID != "l1" || joined.Inquiry != 4 || joined.EarlierVendors != 2 || joined.Tier != "warm" || created[0].Retry {
		t.Fatalf("joining lead: %+v; want person l1, inquiry 4, 2 earlier vendors, tier warm, not a retry", created[0])
	}
	equal(t, "complete called for", completed, []string{"l4"})
	l2, err := s.FindLeadByID(ctx, "l2")
	if err != nil {
		t.Fatal(err)
	}
	if l2.PersonID != "l1" {
		t.Fatalf("l2 person %q after the merge, want l1", l2.PersonID)
	}
	h, err := s.FindLeadHistory(ctx, []string{"p:+15551230000"})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "FindLeadHistory", h, rapport.LeadHistory{PersonID: "l1", Inquiries: 4, LastAt: at(180), Vendors: 3})
	if h, err := s.FindLeadHistory(ctx, []string{"e:nobody@example.com"}); err != nil || h != (rapport.LeadHistory{}) {
		t.Fatalf("FindLeadHistory of nobody = %+v, %v", h, err)
	}
	// Within one call: the third lead's keys find both earlier persons.
	inCall := createLeads(t, s, []rapport.Lead{boughtLead("m1", "v1", 0, "m@example.com", ""),
		boughtLead("m2", "v2", 10, "", "+15550001111"), boughtLead("m3", "v3", 20, "m@example.com", "+15550001111"),
		boughtLead("m4", "v1", 30, "m@example.com", "")},
		[][]string{{"e:m@example.com"}, {"p:+15550001111"}, {"e:m@example.com", "p:+15550001111"}, {"e:m@example.com"}})
	persons, inquiries := []string{}, []int{}
	for _, l := range inCall {
		persons, inquiries = append(persons, l.PersonID), append(inquiries, l.Inquiry)
	}
	equal(t, "persons within one call", persons, []string{"m1", "m1", "m1", "m1"})
	equal(t, "inquiries within one call", inquiries, []int{1, 1, 3, 4})
	if m2, err := s.FindLeadByID(ctx, "m2"); err != nil || m2.PersonID != "m1" {
		t.Fatalf("m2 stored as %+v, %v; want person m1", m2, err)
	}
	_, err = s.CreateLeads(ctx, []rapport.Lead{boughtLead("l5", "v1", 0, "a@b.c", "")}, nil, nil, nil)
	wantCode(t, "CreateLeads without keys", err, rapport.EINVALID)
	_, err = s.FindLeadByID(ctx, "nope")
	wantCode(t, "FindLeadByID unknown", err, rapport.ENOTFOUND)
}

// testLeadRoundTrip stores every field of a lead and reads it back.
func testLeadRoundTrip(t *testing.T, s rapport.Store) {
	l := boughtLead("l1", "v1", 0, "ana@example.com", "+15551230000")
	l.Person.Address = rapport.LeadAddress{Street: "1 Main St", City: "Seattle", Region: "WA", PostalCode: "98101", Country: "US"}
	l.Person.BirthYear = 1990
	l.Form = rapport.FormSignals{Seconds: 75, Input: "typed", CompletedBy: "consumer", DeviceLeads5m: 1, BotScore: 0.1,
		IP: "203.0.113.9", UserAgent: "Mozilla/5.0"}
	l.Journey = rapport.LeadJourney{Visits: 4, FirstVisitAt: at(-86400)}
	l.Consent = &rapport.LeadConsent{Text: "I agree to be called by Acme.", At: at(-5), IP: "203.0.113.9", Method: "checkbox",
		Channels: []string{"phone", "sms"}, EvidenceHash: "abc"}
	l.Value = rapport.LeadValue{Probability: 0.12, CustomerValue: 1000, CostToWork: 15, Expected: 105, MaxPrice: 84, Model: "prior"}
	l.Engagement, l.EngagementLevel, l.Team, l.Page, l.Source = 80, "high", "closers", "https://q.example/auto", "google"
	got := createLeads(t, s, []rapport.Lead{l}, [][]string{{"e:ana@example.com"}})
	l.PersonID, l.Inquiry = "l1", 1
	equal(t, "CreateLeads result", got[0], l)
	stored, err := s.FindLeadByID(context.Background(), "l1")
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "stored lead", *stored, l)
}

func testFindBoughtLeads(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	var leads []rapport.Lead
	var keys [][]string
	for i, v := range []string{"v1", "v2", "v1", "v1"} {
		id := string(rune('a' + i))
		leads = append(leads, boughtLead(id, v, i*100, id+"@example.com", ""))
		keys = append(keys, []string{"e:" + id + "@example.com"})
	}
	createLeads(t, s, leads, keys)
	for _, tt := range []struct {
		f     rapport.BoughtLeadFilter
		ids   []string
		total int
	}{
		{rapport.BoughtLeadFilter{}, []string{"d", "c", "b", "a"}, 4},
		{rapport.BoughtLeadFilter{VendorID: "v1", Limit: 2}, []string{"d", "c"}, 3},
		{rapport.BoughtLeadFilter{VendorID: "v1", Limit: 2, Offset: 2}, []string{"a"}, 3},
		{rapport.BoughtLeadFilter{PersonID: "b"}, []string{"b"}, 1},
		{rapport.BoughtLeadFilter{Since: at(131), Until: at(232)}, []string{"c", "b"}, 2},
	} {
		got, total, err := s.FindBoughtLeads(ctx, tt.f)
		if err != nil {
			t.Fatalf("FindBoughtLeads(%+v): %v", tt.f, err)
		}
		ids := []string{}
		for _, l := range got {
			ids = append(ids, l.ID)
		}
		equal(t, "FindBoughtLeads ids", ids, tt.ids)
		if total != tt.total {
			t.Fatalf("FindBoughtLeads(%+v) total %d, want %d", tt.f, total, tt.total)
		}
	}
}

func testLeadContacts(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	createLeads(t, s, []rapport.Lead{boughtLead("l1", "v1", 0, "a@example.com", "")}, [][]string{{"e:a@example.com"}})
	cs := []rapport.LeadContact{
		{LeadID: "l1", At: at(300), Outcome: "no_answer", MessageID: "m2"},
		{LeadID: "l1", At: at(120), Outcome: "voicemail", MessageID: "m1"},
		{LeadID: "l1", At: at(900), Outcome: "converted", Reached: true, Converted: true, Value: 700, MessageID: "m3"},
	}
	if err := s.RecordLeadContacts(ctx, cs); err != nil {
		t.Fatalf("RecordLeadContacts: %v", err)
	}
	if err := s.RecordLeadContacts(ctx, cs[2:]); err != nil { // a retry counts once
		t.Fatalf("RecordLeadContacts again: %v", err)
	}
	l, err := s.FindLeadByID(ctx, "l1")
	if err != nil {
		t.Fatal(err)
	}
	if l.Attempts != 3 || !l.FirstAttemptAt.Equal(at(120)) || !l.FirstContactAt.Equal(at(900)) ||
		!l.ConvertedAt.Equal(at(900)) || l.ConvertedValue != 700 {
		t.Fatalf("lead after attempts: attempts %d first %v contact %v converted %v value %v", l.Attempts,
			l.FirstAttemptAt, l.FirstContactAt, l.ConvertedAt, l.ConvertedValue)
	}
	err = s.RecordLeadContacts(ctx, []rapport.LeadContact{{LeadID: "nope", At: at(1), Outcome: "busy", MessageID: "m9"}})
	wantCode(t, "RecordLeadContacts on an unknown lead", err, rapport.ENOTFOUND)
	got, err := s.FindLeadContacts(ctx, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, c := range got {
		ids = append(ids, c.MessageID)
	}
	equal(t, "FindLeadContacts order", ids, []string{"m1", "m2", "m3"})
	if got, err := s.FindLeadContacts(ctx, at(1000), time.Time{}); err != nil || len(got) != 0 {
		t.Fatalf("FindLeadContacts of later leads = %v, %v; want none", got, err)
	}
}

func testLeadAlerts(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	webhook(t, s, "w1", true, "lead.sla_breached")
	cold := boughtLead("l3", "v1", 0, "c@example.com", "")
	cold.Tier = "cold"
	createLeads(t, s, []rapport.Lead{boughtLead("l1", "v1", 0, "a@example.com", ""), boughtLead("l2", "v1", 600, "b@example.com", ""), cold},
		[][]string{{"e:a@example.com"}, {"e:b@example.com"}, {"e:c@example.com"}})
	waiting, err := s.FindWaitingLeads(ctx, "hot", at(300), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(waiting) != 1 || waiting[0].ID != "l1" {
		t.Fatalf("FindWaitingLeads = %v, want l1 alone", waiting)
	}
	alert := func(id string) rapport.LeadAlert {
		return rapport.LeadAlert{LeadID: id, At: at(400), Notification: rapport.Notification{Type: "lead.sla_breached", At: at(400),
			Payload: map[string]any{"leadId": id}}}
	}
	if n, err := s.AlertLeads(ctx, []rapport.LeadAlert{alert("l1"), alert("l1")}); err != nil || n != 1 {
		t.Fatalf("AlertLeads = %d, %v; want 1 (the second is the same lead)", n, err)
	}
	if n, err := s.AlertLeads(ctx, []rapport.LeadAlert{alert("l1")}); err != nil || n != 0 {
		t.Fatalf("AlertLeads again = %d, %v; want 0", n, err)
	}
	if ds := deliveries(t, s, rapport.DeliveryFilter{}); len(ds) != 1 || ds[0].Notification.Payload["leadId"] != "l1" {
		t.Fatalf("deliveries %s, want one about l1", dump(ds))
	}
	if waiting, _ := s.FindWaitingLeads(ctx, "hot", at(1000), 10); len(waiting) != 1 || waiting[0].ID != "l2" {
		t.Fatalf("FindWaitingLeads after the alert = %v, want l2 alone", waiting)
	}
	if err := s.RecordLeadContacts(ctx, []rapport.LeadContact{{LeadID: "l2", At: at(700), Outcome: "busy", MessageID: "m"}}); err != nil {
		t.Fatal(err)
	}
	if waiting, _ := s.FindWaitingLeads(ctx, "hot", at(1000), 10); len(waiting) != 0 {
		t.Fatalf("FindWaitingLeads after an attempt = %v, want none", waiting)
	}
}

package lead_test

import (
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/lead"
)

// stored returns a prepared and completed lead as the store returns it.
func stored(t *testing.T, change func(*rapport.Lead)) rapport.Lead {
	t.Helper()
	l := testLead()
	if change != nil {
		change(&l)
	}
	if err := lead.Prepare(&l, testVendor(), received); err != nil {
		t.Fatal(err)
	}
	l.ID = "ld_2"
	rapport.LeadHistory{PersonID: "ld_1", Inquiries: 1, LastAt: submitted.Add(-time.Hour), Vendors: 1}.Apply(&l)
	lead.Complete(&l, testVendor(), fixedP(0.2), lead.DefaultPricing(), nil, 0)
	return l
}

func TestEvents(t *testing.T) {
	l := stored(t, nil)
	evs := lead.Events(&l)
	ids := []string{}
	for _, e := range evs {
		if err := e.Validate(); err != nil {
			t.Fatalf("event %s: %v", e.MessageID, err)
		}
		if e.AnonymousID != "lead:ld_1" {
			t.Fatalf("event %s anonymousId %q, want the person's", e.MessageID, e.AnonymousID)
		}
		ids = append(ids, e.MessageID)
	}
	want := []string{"lead-ld_2-identify", "lead-ld_2", "lead-ld_2-consent-phone", "lead-ld_2-consent-sms"}
	equalStrings(t, "message ids", ids, want)
	sub := evs[1]
	if sub.Event != lead.EventLeadSubmitted || !sub.Timestamp.Equal(submitted) || sub.Properties["form_engagement"] != lead.LevelHigh ||
		sub.Properties["inquiry"] != 2 || sub.Context["traits"].(map[string]any)["email"] != "ana@example.com" {
		t.Fatalf("Lead Submitted: %+v", sub)
	}
	if evs[0].Traits["lead_inquiries"] != 2 || evs[0].Traits["marital_status"] != "married" {
		t.Fatalf("identify traits %v", evs[0].Traits)
	}
	consent := evs[2]
	if consent.Event != rapport.EventConsentGranted || consent.Properties["text"] != l.Consent.Text ||
		consent.Context["ip"] != "203.0.113.7" || consent.Properties["evidence_hash"] != l.Consent.EvidenceHash {
		t.Fatalf("consent event %+v", consent)
	}
	held := stored(t, func(l *rapport.Lead) { l.Consent.Method = "implied" })
	if n := len(lead.Events(&held)); n != 2 {
		t.Fatalf("a lead without valid consent made %d events, want 2 (no consent granted)", n)
	}
}

func TestContactEvents(t *testing.T) {
	l := stored(t, nil)
	c := rapport.LeadContact{LeadID: l.ID, At: received.Add(time.Minute), Outcome: " Converted ", Value: 900, MessageID: "m1"}
	if err := lead.CheckContact(&c); err != nil {
		t.Fatal(err)
	}
	if !c.Reached || !c.Converted || c.Channel != "phone" {
		t.Fatalf("checked contact %+v", c)
	}
	names := []string{}
	for _, e := range lead.ContactEvents(&c, &l) {
		names = append(names, e.Event)
	}
	equalStrings(t, "events of a sale", names, []string{lead.EventContactAttempt, lead.EventLeadConverted})
	c.Outcome, c.MessageID = "do_not_call", "m2"
	_ = lead.CheckContact(&c)
	evs := lead.ContactEvents(&c, &l)
	if len(evs) != 2 || evs[1].Event != rapport.EventConsentRevoked || evs[1].Properties["channel"] != "phone" {
		t.Fatalf("do_not_call events %+v, want the attempt and a revocation", evs)
	}
	for _, bad := range []rapport.LeadContact{
		{LeadID: "x", At: received, Outcome: "maybe"},
		{LeadID: "x", Outcome: "busy"},
		{At: received, Outcome: "busy"},
		{LeadID: "x", At: received, Outcome: "busy", Channel: "fax"},
	} {
		if err := lead.CheckContact(&bad); rapport.ErrorCode(err) != rapport.EINVALID {
			t.Errorf("CheckContact(%+v) = %v, want EINVALID", bad, err)
		}
	}
}

func equalStrings(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %q, want %q", what, got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%s: got %q, want %q", what, got, want)
		}
	}
}

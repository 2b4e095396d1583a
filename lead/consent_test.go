package lead_test

import (
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/lead"
)

var submitted = time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)

func validConsent() *rapport.LeadConsent {
	return &rapport.LeadConsent{Text: "By clicking Submit I agree that Acme may call and text me.", At: submitted.Add(-time.Second),
		IP: "203.0.113.7", UserAgent: "Mozilla/5.0", Method: "Checkbox", Page: "https://quotes.example/auto",
		Channels: []string{"Phone", "sms"}, ProofURL: "https://cert.example/abc"}
}

func TestCheckConsent(t *testing.T) {
	for _, tt := range []struct {
		name   string
		change func(c *rapport.LeadConsent) *rapport.LeadConsent
		want   string
	}{
		{"valid", func(c *rapport.LeadConsent) *rapport.LeadConsent { return c }, ""},
		{"missing", func(*rapport.LeadConsent) *rapport.LeadConsent { return nil }, "no consent record"},
		{"no text", func(c *rapport.LeadConsent) *rapport.LeadConsent { c.Text = " "; return c }, "consent has no text: the exact wording shown is required"},
		{"after the form", func(c *rapport.LeadConsent) *rapport.LeadConsent { c.At = submitted.Add(time.Hour); return c }, "consent was given after the form was submitted"},
		{"too old", func(c *rapport.LeadConsent) *rapport.LeadConsent { c.At = submitted.AddDate(0, -4, 0); return c }, "consent is more than 90 days older than the form"},
		{"method", func(c *rapport.LeadConsent) *rapport.LeadConsent { c.Method = "implied"; return c }, "consent method must be one of checkbox, form, verbal, written"},
		{"no channel", func(c *rapport.LeadConsent) *rapport.LeadConsent { c.Channels = nil; return c }, "consent names no contact channel"},
		{"bad channel", func(c *rapport.LeadConsent) *rapport.LeadConsent { c.Channels = []string{"fax"}; return c }, "consent channel fax is not one of email, sms, phone, push"},
		{"web without ip", func(c *rapport.LeadConsent) *rapport.LeadConsent { c.IP = ""; return c }, "consent given on a web form has no IP address"},
		{"verbal without ip", func(c *rapport.LeadConsent) *rapport.LeadConsent { c.IP, c.Method = "", "verbal"; return c }, ""},
		{"hash mismatch", func(c *rapport.LeadConsent) *rapport.LeadConsent { c.EvidenceHash = "00ff"; return c }, "consent evidence hash does not match the record"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l := &rapport.Lead{VendorID: "v1", SubmittedAt: submitted, Consent: tt.change(validConsent())}
			if got := lead.CheckConsent(l); got != tt.want {
				t.Fatalf("CheckConsent = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestEvidenceHash(t *testing.T) {
	c := validConsent()
	l := &rapport.Lead{VendorID: "v1", SubmittedAt: submitted, Consent: c}
	if p := lead.CheckConsent(l); p != "" {
		t.Fatal(p)
	}
	h := c.EvidenceHash
	if len(h) != 64 {
		t.Fatalf("hash %q, want 64 hex digits", h)
	}
	// A vendor that sends the right hash is believed; one changed word is not.
	sent := *validConsent()
	sent.Method, sent.Channels, sent.EvidenceHash = "checkbox", []string{"sms", "phone"}, h
	if p := lead.CheckConsent(&rapport.Lead{VendorID: "v1", SubmittedAt: submitted, Consent: &sent}); p != "" {
		t.Fatalf("the vendor's own hash refused: %s", p)
	}
	sent.Text += "!"
	if p := lead.CheckConsent(&rapport.Lead{VendorID: "v1", SubmittedAt: submitted, Consent: &sent}); p == "" {
		t.Fatal("a changed text kept its hash")
	}
	if lead.EvidenceHash(c, "v2") == h {
		t.Fatal("the hash does not bind the vendor")
	}
}

package demo

import (
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"time"

	"github.com/rapportdev/rapport"
)

// LeadVendors are the demo's lead vendors: an exclusive one that sells
// fresh, engaged leads at a high price and takes returns, a cheap
// marketplace that shares each lead with four buyers and sells one lead
// a day (the ones over the cap are kept unpaid), and a call centre whose
// agents finish the forms and deliver late.
func LeadVendors() []rapport.Vendor {
	return []rapport.Vendor{
		{ID: "quotefast", Name: "QuoteFast", Exclusive: true, Price: 45, Active: true,
			Attributes: map[string]string{"source": "search", "verified": "phone"},
			Terms:      rapport.VendorTerms{ReturnWindowHours: 72, ReturnReasons: []string{"bad phone", "duplicate", "no consent"}}},
		{ID: "leadmarket", Name: "Lead Market", SharedWith: 4, Price: 12, Active: true,
			Attributes: map[string]string{"source": "display"},
			Terms: rapport.VendorTerms{ReturnWindowHours: 48, ReturnReasons: []string{"duplicate", "bad phone"}, DailyCap: 1,
				OverCap: rapport.OverCapUnpaid}},
		{ID: "callcenter", Name: "CallCenter Pro", SharedWith: 2, Price: 25, Active: true,
			Attributes: map[string]string{"source": "call centre"}},
	}
}

// DemoLead is one lead of the demo: what its vendor sends and when it
// arrives, what the sales team did with it, whether its person bought
// and whether it went back to the vendor.
type DemoLead struct {
	VendorID string
	Lead     rapport.Lead
	// ArriveAt is when the vendor delivers it.
	ArriveAt time.Time
	// Contacts are the attempts on it (LeadID left empty: it is known
	// once the lead is stored), with fixed message ids.
	Contacts []rapport.LeadContact
	// Return is the reason it is returned an hour after arriving, "" for
	// none.
	Return string
}

// DemoOrder is an order by a lead's person, after the leads: the
// identify that signs them in with the lead's email, then the order.
type DemoOrder struct {
	Events []rapport.Event
}

// leadPeople is how many people the vendors sell; some more than once.
const leadPeople = 48

// Leads returns the demo's leads over the 30 days before now, ordered by
// arrival, and the orders of the people who bought. It is a pure
// function of now: the same leads, external ids and message ids every
// time, so loading them twice stores nothing twice.
func Leads(now time.Time) ([]DemoLead, []DemoOrder) {
	r := mrand.New(mrand.NewPCG(6, 8))
	now = now.UTC().Truncate(time.Minute)
	var out []DemoLead
	var orders []DemoOrder
	for p := range leadPeople {
		who := leadPerson(r, p)
		times := 1 + r.IntN(3)/2 // a third shop around
		if p%7 == 0 {
			times = 3
		}
		first := now.Add(-time.Duration(1+r.IntN(29*24)) * time.Hour)
		var last time.Time
		for k := range times {
			at := first.Add(time.Duration(k*(6+r.IntN(60))) * time.Hour)
			if at.After(now.Add(-time.Hour)) {
				break
			}
			out = append(out, demoLead(r, p, k, who, at, now))
			last = at
		}
		if (p%6 == 0 || p%6 == 1) && !last.IsZero() {
			orders = append(orders, demoOrder(p, who.Email, last.Add(time.Duration(2+r.IntN(72))*time.Hour), now, r))
		}
	}
	slices.SortStableFunc(out, func(a, b DemoLead) int { return a.ArriveAt.Compare(b.ArriveAt) })
	markReturns(out)
	return out, orders
}

// leadPerson makes the consumer behind a person's inquiries.
func leadPerson(r *mrand.Rand, p int) rapport.LeadPerson {
	first := []string{"Ana", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Iris", "Jonah", "Kira", "Luis"}
	last := []string{"Moreno", "Okafor", "Lindqvist", "Tanaka", "Novak", "Haddad", "Byrne", "Costa"}
	regions := []string{"WA", "OR", "CA", "TX", "FL", "GA", "NY", "IL", "CO", "NC"}
	f, l := first[p%len(first)], last[(p/len(first)+p)%len(last)]
	return rapport.LeadPerson{FirstName: f, LastName: l,
		Email:     fmt.Sprintf("%s.%s%d@example.com", lower(f), lower(l), p),
		Phone:     fmt.Sprintf("+1206555%04d", 100+p),
		BirthYear: 1950 + r.IntN(52),
		Address: rapport.LeadAddress{Street: fmt.Sprintf("%d Cedar Lane", 10+p), City: "Springfield",
			Region: regions[p%len(regions)], PostalCode: fmt.Sprintf("%05d", 10000+p*37), Country: "US"}}
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// demoLead makes inquiry k of person p, submitted at.
func demoLead(r *mrand.Rand, p, k int, who rapport.LeadPerson, at, now time.Time) DemoLead {
	vendors := LeadVendors()
	v := vendors[(p+k)%len(vendors)]
	delay := map[string]time.Duration{"quotefast": time.Duration(20+r.IntN(90)) * time.Second,
		"leadmarket": time.Duration(2+r.IntN(40)) * time.Minute, "callcenter": time.Duration(1+r.IntN(20)) * time.Hour}[v.ID]
	id := fmt.Sprintf("demo-%d-%d", p, k)
	l := rapport.Lead{ExternalID: id, Person: who, SubmittedAt: at, DeliveredAt: at.Add(delay),
		Page: "https://compare.example/" + v.ID, Source: v.Attributes["source"],
		Answers: map[string]any{"product": []string{"auto", "home", "life"}[p%3], "credit": []string{"excellent", "good", "fair"}[(p+k)%3],
			"marital_status": []string{"married", "single"}[p%2], "education": []string{"college", "high_school", "graduate"}[p%3]},
		Form: rapport.FormSignals{Seconds: float64(40 + r.IntN(200)), Input: "typed", CompletedBy: "consumer",
			IP: fmt.Sprintf("198.51.100.%d", 1+p), UserAgent: "Mozilla/5.0 (demo)"},
		Journey: rapport.LeadJourney{Visits: 1 + r.IntN(9), FirstVisitAt: at.Add(-time.Duration(r.IntN(30*24)) * time.Hour)},
		Consent: &rapport.LeadConsent{Text: "I agree that Rapport Insurance may call and text me about quotes.", At: at,
			IP: fmt.Sprintf("198.51.100.%d", 1+p), Method: "checkbox", Channels: []string{"phone", "sms"}, Page: "https://compare.example/" + v.ID}}
	switch {
	case v.ID == "callcenter":
		l.Form.CompletedBy, l.Form.Input = "agent", "mixed"
	case p == 5:
		l.Form.BotScore, l.Form.Seconds, l.Form.Input = 0.93, 3, "pasted" // a bot
	}
	if p == 11 && k == 0 {
		l.Consent = nil // sold without a consent record
	}
	if p == 23 && k == 0 {
		l.Consent.Method = "implied" // a method no consent law accepts
	}
	return DemoLead{VendorID: v.ID, Lead: l, ArriveAt: at.Add(delay), Contacts: demoContacts(r, id, at.Add(delay), now)}
}

// markReturns returns the first QuoteFast lead for a bad phone and the
// first QuoteFast lead that repeats an earlier inquiry as a duplicate.
func markReturns(ls []DemoLead) {
	bad, dup := false, false
	for i := range ls {
		l := &ls[i]
		switch {
		case !bad && l.VendorID == "quotefast":
			l.Return, bad = "bad phone", true
		case !dup && l.VendorID == "quotefast" && l.Lead.ExternalID[len(l.Lead.ExternalID)-1] != '0':
			l.Return, dup = "duplicate", true
		}
	}
}

// demoContacts are the attempts on a lead that arrived at: most leads are
// called, some within minutes, some a day later, some never.
func demoContacts(r *mrand.Rand, id string, arrived, now time.Time) []rapport.LeadContact {
	if r.IntN(5) == 0 {
		return nil
	}
	wait := []time.Duration{2 * time.Minute, 4 * time.Minute, 12 * time.Minute, 45 * time.Minute, 3 * time.Hour, 30 * time.Hour}[r.IntN(6)]
	var out []rapport.LeadContact
	at := arrived.Add(wait)
	for n := range 1 + r.IntN(3) {
		if at.After(now) {
			break
		}
		outcome := []string{"no_answer", "voicemail", "reached", "reached", "callback_requested"}[r.IntN(5)]
		out = append(out, rapport.LeadContact{At: at, Outcome: outcome, Channel: "phone", Agent: []string{"kim", "raj", "sofia"}[n%3],
			MessageID: fmt.Sprintf("%s-contact-%d", id, n)})
		if outcome != "no_answer" && outcome != "voicemail" {
			break
		}
		at = at.Add(time.Duration(1+r.IntN(20)) * time.Hour)
	}
	return out
}

// demoOrder signs person p in with the email the vendors sold and has
// them order at (no later than now).
func demoOrder(p int, email string, at, now time.Time, r *mrand.Rand) DemoOrder {
	if at.After(now) {
		at = now.Add(-time.Minute)
	}
	user := fmt.Sprintf("demo-lead-buyer-%d", p)
	revenue := float64(600 + r.IntN(12)*100)
	return DemoOrder{Events: []rapport.Event{
		{MessageID: fmt.Sprintf("demo-lead-identify-%d", p), Type: rapport.EventIdentify, UserID: user, Timestamp: at.Add(-time.Minute), ReceivedAt: at.Add(-time.Minute), SourceID: "demo",
			Traits: map[string]any{"email": email}},
		{MessageID: fmt.Sprintf("demo-lead-order-%d", p), Type: rapport.EventTrack, Event: rapport.EventOrderCompleted, UserID: user,
			Timestamp: at, ReceivedAt: at, SourceID: "demo", Properties: map[string]any{"order_id": fmt.Sprintf("policy-%d", p), "revenue": revenue}},
	}}
}

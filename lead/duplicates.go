package lead

import (
	"cmp"
	"slices"
	"time"

	"github.com/rapportdev/rapport"
)

// Inquiry is one lead of a person in the duplicates report: which vendor
// sold it, when the consumer submitted it and when it arrived.
type Inquiry struct {
	LeadID      string    `json:"leadId"`
	VendorID    string    `json:"vendorId"`
	SubmittedAt time.Time `json:"submittedAt"`
	ReceivedAt  time.Time `json:"receivedAt"`
	Price       float64   `json:"price"`
}

// Person is someone who inquired more than once: every inquiry kept, in
// order, the vendors that sold them, and whether any inquiry converted.
type Person struct {
	PersonID  string    `json:"personId"`
	Inquiries []Inquiry `json:"inquiries"`
	Vendors   []string  `json:"vendors"`
	// SpanDays is the time from the first inquiry to the last.
	SpanDays  float64 `json:"spanDays"`
	Spend     float64 `json:"spend"`
	Converted bool    `json:"converted"`
}

// Duplicates returns the people among leads with more than one inquiry,
// most inquiries first (then most recent).
func Duplicates(leads []rapport.Lead) []Person {
	byPerson := map[string][]*rapport.Lead{}
	for i := range leads {
		l := &leads[i]
		byPerson[l.PersonID] = append(byPerson[l.PersonID], l)
	}
	var out []Person
	for id, ls := range byPerson {
		if len(ls) < 2 {
			continue
		}
		out = append(out, person(id, ls))
	}
	slices.SortFunc(out, func(a, b Person) int {
		la, lb := a.Inquiries[len(a.Inquiries)-1].SubmittedAt, b.Inquiries[len(b.Inquiries)-1].SubmittedAt
		return cmp.Or(cmp.Compare(len(b.Inquiries), len(a.Inquiries)), lb.Compare(la), cmp.Compare(a.PersonID, b.PersonID))
	})
	return out
}

func person(id string, ls []*rapport.Lead) Person {
	slices.SortFunc(ls, func(a, b *rapport.Lead) int {
		return cmp.Or(a.SubmittedAt.Compare(b.SubmittedAt), cmp.Compare(a.ID, b.ID))
	})
	p := Person{PersonID: id}
	for _, l := range ls {
		p.Inquiries = append(p.Inquiries, Inquiry{LeadID: l.ID, VendorID: l.VendorID, SubmittedAt: l.SubmittedAt,
			ReceivedAt: l.ReceivedAt, Price: l.Price})
		if !slices.Contains(p.Vendors, l.VendorID) {
			p.Vendors = append(p.Vendors, l.VendorID)
		}
		p.Spend += l.Price
		p.Converted = p.Converted || !l.ConvertedAt.IsZero()
	}
	p.Spend = round2(p.Spend)
	p.SpanDays = round4(ls[len(ls)-1].SubmittedAt.Sub(ls[0].SubmittedAt).Hours() / 24)
	return p
}

package storecodec

import (
	"fmt"
	"slices"
	"time"

	json "github.com/goccy/go-json"

	"github.com/rapportdev/rapport"
)

// CheckLeads refuses, with EINVALID, leads a store must not write: without
// an id or vendor; a keys list that does not have one entry per lead; and
// caps that name one vendor's term twice, which would leave the store to
// guess which one holds. (A lead JSON cannot encode fails the write in
// EncodeLead.)
func CheckLeads(leads []rapport.Lead, keys [][]string, caps []rapport.LeadCap) error {
	if len(keys) != len(leads) {
		return rapport.Errorf(rapport.EINVALID, "%d leads with %d key lists", len(leads), len(keys))
	}
	for i := range leads {
		l := &leads[i]
		if l.ID == "" || l.VendorID == "" {
			return rapport.Errorf(rapport.EINVALID, "lead %d has no id or vendor", i)
		}
	}
	seen := map[[2]string]bool{}
	for _, c := range caps {
		k := [2]string{c.VendorID, c.Term}
		if seen[k] {
			return rapport.Errorf(rapport.EINVALID, "two caps of vendor %s under %s", c.VendorID, c.Term)
		}
		seen[k] = true
	}
	return nil
}

// CapVendors returns the vendors that caps name, sorted: the order a
// store locks them in, so that two calls never wait on each other's.
func CapVendors(caps []rapport.LeadCap) []string {
	var out []string
	for _, c := range caps {
		out = append(out, c.VendorID)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// EncodeLead returns the stored body of a lead: its JSON without what the
// columns keep current (person, contact progress, alert), so the body is
// written once and never goes stale.
func EncodeLead(l rapport.Lead) ([]byte, error) {
	l.PersonID = ""
	l.Attempts, l.ConvertedValue = 0, 0
	l.FirstAttemptAt, l.FirstContactAt, l.ConvertedAt, l.AlertedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	l.ReturnedAt, l.ReturnReason, l.Credit = time.Time{}, "", 0
	b, err := json.Marshal(l)
	if err != nil {
		return nil, fmt.Errorf("encode lead %s: %w", l.ID, err)
	}
	return b, nil
}

// LeadRow is what a store reads back of a lead: the body and the columns
// kept current.
type LeadRow struct {
	Body           []byte
	PersonID       string
	Attempts       int
	FirstAttemptAt *int64
	FirstContactAt *int64
	ConvertedAt    *int64
	ConvertedValue float64
	AlertedAt      *int64
	ReturnedAt     *int64
	ReturnReason   string
	Credit         float64
}

// DecodeLead returns the lead a row holds.
func DecodeLead(r LeadRow) (rapport.Lead, error) {
	var l rapport.Lead
	if err := json.Unmarshal(r.Body, &l); err != nil {
		return l, fmt.Errorf("decode lead: %w", err)
	}
	l.PersonID, l.Attempts, l.ConvertedValue = r.PersonID, r.Attempts, r.ConvertedValue
	l.FirstAttemptAt, l.FirstContactAt = FromNanos(r.FirstAttemptAt), FromNanos(r.FirstContactAt)
	l.ConvertedAt, l.AlertedAt = FromNanos(r.ConvertedAt), FromNanos(r.AlertedAt)
	l.ReturnedAt, l.ReturnReason, l.Credit = FromNanos(r.ReturnedAt), r.ReturnReason, r.Credit
	return l, nil
}

// EncodeVendor validates a vendor and returns its stored body.
func EncodeVendor(v *rapport.Vendor) ([]byte, error) {
	if err := v.Validate(); err != nil {
		return nil, err
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode vendor %s: %w", v.ID, err)
	}
	return b, nil
}

// DecodeVendor reads a stored vendor.
func DecodeVendor(b []byte) (*rapport.Vendor, error) {
	v := &rapport.Vendor{}
	if err := json.Unmarshal(b, v); err != nil {
		return nil, fmt.Errorf("decode vendor: %w", err)
	}
	return v, nil
}

// CheckLeadContacts refuses, with EINVALID, attempts without a lead, time
// or message id.
func CheckLeadContacts(cs []rapport.LeadContact) error {
	for i, c := range cs {
		if c.LeadID == "" || c.MessageID == "" || c.At.IsZero() {
			return rapport.Errorf(rapport.EINVALID, "contact attempt %d needs a lead, a message id and a time", i)
		}
	}
	return nil
}

// MergeHistory reads the history rows of a person: count, latest
// submission, distinct vendors.
func MergeHistory(personID string, n int, last *int64, vendors int) rapport.LeadHistory {
	if n == 0 {
		return rapport.LeadHistory{PersonID: personID}
	}
	return rapport.LeadHistory{PersonID: personID, Inquiries: n, LastAt: FromNanos(last), Vendors: vendors}
}

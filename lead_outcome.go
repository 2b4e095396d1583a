package rapport

import (
	"context"
	"time"
)

// LeadConversion credits a lead with a sale: an order event (Order
// Completed, or the configured outcome event) of the profile that holds
// the lead's person. MessageID is the order event's: one order credits
// one lead, once.
type LeadConversion struct {
	LeadID    string    `json:"leadId"`
	MessageID string    `json:"messageId"`
	At        time.Time `json:"at"`
	Revenue   float64   `json:"revenue"`
}

// LeadReturn gives a lead back to its vendor for Credit, for a reason the
// vendor's contract accepts, within its return window.
type LeadReturn struct {
	LeadID string    `json:"leadId"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
	Credit float64   `json:"credit"`
}

// LeadTotals is what the leads one vendor delivered on one UTC day add
// up to: the sums a scorecard is made of, computed by the store so that
// a report reads no lead one by one.
type LeadTotals struct {
	VendorID string `json:"vendorId"`
	// Day is the UTC midnight starting the day the leads were received.
	Day         time.Time `json:"day"`
	Leads       int       `json:"leads"`
	Spend       float64   `json:"spend"`
	Contacted   int       `json:"contacted"`
	Conversions int       `json:"conversions"`
	Revenue     float64   `json:"revenue"`
	// ConsentFailures are leads not contactable; Bots those suspected to
	// be bots; Duplicates those whose person had inquired before; Overpaid
	// contactable leads bought above their maximum price.
	ConsentFailures int `json:"consentFailures"`
	Bots            int `json:"bots"`
	Duplicates      int `json:"duplicates"`
	Overpaid        int `json:"overpaid"`
	// OverCap are leads accepted over the vendor's cap, not paid.
	OverCap int `json:"overCap"`
	// Returns are leads given back to the vendor, Credits what they earned.
	Returns    int     `json:"returns"`
	Credits    float64 `json:"credits"`
	Engagement float64 `json:"engagement"`
	Expected   float64 `json:"expected"`
	MaxPrice   float64 `json:"maxPrice"`
}

// LeadOutcomeStore keeps what happened to leads after intake
// (conversions from orders, returns) and reads leads for reports without
// loading a whole range at once.
type LeadOutcomeStore interface {
	// ConvertLeads credits each conversion's lead (the earliest conversion
	// time, the revenue added) and records through as the seq of the last
	// stored event read, in one transaction. A conversion whose MessageID
	// is stored is skipped; one whose lead is gone (erased) too. The
	// cursor never moves back. It returns how many it credited.
	ConvertLeads(ctx context.Context, conversions []LeadConversion, through int64) (int, error)
	// LeadConversionCursor returns the seq ConvertLeads last recorded, 0
	// when none.
	LeadConversionCursor(ctx context.Context) (int64, error)
	// ReturnLead marks a lead returned with its reason and credit.
	// ENOTFOUND when the lead is unknown, ECONFLICT when it was returned
	// already.
	ReturnLead(ctx context.Context, r LeadReturn) error
	// FindLeadTotals returns the totals per vendor and day of the leads
	// the filter selects (VendorID, Since, Until; the rest is ignored), by
	// vendor then day.
	FindLeadTotals(ctx context.Context, f BoughtLeadFilter) ([]LeadTotals, error)
	// FindLeadDelays returns up to limit ages at delivery (receipt minus
	// submission) of the leads the filter selects (VendorID, Since,
	// Until), smallest first, from offset: a median without reading
	// every lead.
	FindLeadDelays(ctx context.Context, f BoughtLeadFilter, offset, limit int) ([]time.Duration, error)
	// FindDuplicatePersons returns a page of the persons with more than
	// one lead received in the filter's range (VendorID, Since, Until,
	// Offset, Limit), most leads first then latest submission, and how
	// many there are.
	FindDuplicatePersons(ctx context.Context, f BoughtLeadFilter) ([]string, int, error)
	// ScanBoughtLeads returns up to limit leads the filter selects
	// (VendorID, Since, Until) with ids greater than after, by id: a
	// report walks a range of any size with it, a page at a time.
	ScanBoughtLeads(ctx context.Context, f BoughtLeadFilter, after string, limit int) ([]Lead, error)
	// FindContactsOf returns the contact attempts of the given leads,
	// oldest first.
	FindContactsOf(ctx context.Context, leadIDs []string) ([]LeadContact, error)
	// FindLeadHistogram counts the leads the filter selects (VendorID,
	// Since, Until) per vendor and bucket of a measure (MeasureAge is
	// taken at now): bucket i holds the leads below bounds[i] and not
	// below bounds[i-1], bucket len(bounds) the rest, bucket -1 those
	// without the measure (never attempted). EINVALID for an unknown
	// measure or bounds that do not increase.
	FindLeadHistogram(ctx context.Context, f BoughtLeadFilter, measure string, bounds []time.Duration, now time.Time) ([]LeadBucket, error)
}

// Measures of a lead a histogram counts.
const (
	// MeasureToFirstAttempt is the time from submission to the first
	// contact attempt: speed-to-lead.
	MeasureToFirstAttempt = "to_first_attempt"
	// MeasureAgeAtDelivery is the time from submission to receipt.
	MeasureAgeAtDelivery = "age_at_delivery"
	// MeasureAge is the time from submission to now.
	MeasureAge = "age"
)

// LeadBucket is how many leads of a vendor fall in one bucket of a
// histogram.
type LeadBucket struct {
	VendorID string `json:"vendorId"`
	Bucket   int    `json:"bucket"`
	Leads    int    `json:"leads"`
}

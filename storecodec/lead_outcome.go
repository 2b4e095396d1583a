package storecodec

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rapportdev/rapport"
)

// LeadFacts are the columns of a lead that reports add up in SQL, as a
// store writes them at intake.
type LeadFacts struct {
	Price, Engagement, Expected, MaxPrice float64
	Contactable, Bot, OverCap             bool
	Inquiry                               int
}

// FactsOf returns the report columns of a lead.
func FactsOf(l *rapport.Lead) LeadFacts {
	return LeadFacts{Price: l.Price, Engagement: l.Engagement, Expected: l.Value.Expected, MaxPrice: l.Value.MaxPrice,
		Contactable: l.Contactable, Bot: l.EngagementLevel == "bot", OverCap: l.OverCap, Inquiry: max(l.Inquiry, 1)}
}

// CheckLeadConversions refuses, with EINVALID, conversions a store must
// not write: without a lead, a message id or a time, or with a revenue
// that is not a finite amount.
func CheckLeadConversions(cs []rapport.LeadConversion) error {
	for i, c := range cs {
		if c.LeadID == "" || c.MessageID == "" || c.At.IsZero() {
			return rapport.Errorf(rapport.EINVALID, "conversion %d needs a lead, a message id and a time", i)
		}
		if !(c.Revenue >= 0 && c.Revenue < 1e300) {
			return rapport.Errorf(rapport.EINVALID, "conversion %d: revenue must be a finite amount, not negative", i)
		}
	}
	return nil
}

// CheckLeadReturn refuses, with EINVALID, a return a store must not
// write.
func CheckLeadReturn(r rapport.LeadReturn) error {
	switch {
	case r.LeadID == "" || r.At.IsZero():
		return rapport.Errorf(rapport.EINVALID, "a return needs a lead and a time")
	case r.Reason == "":
		return rapport.Errorf(rapport.EINVALID, "reason: required")
	case !(r.Credit >= 0 && r.Credit < 1e300):
		return rapport.Errorf(rapport.EINVALID, "credit: must be a finite amount, not negative")
	}
	return nil
}

// DayNanos is one day in nanoseconds: stores group received times by
// received_at / DayNanos, the UTC day.
const DayNanos = int64(24 * time.Hour)

// DayOf returns the UTC midnight of a day number (nanoseconds / DayNanos).
func DayOf(day int64) time.Time { return time.Unix(0, day*DayNanos).UTC() }

// ConversionCursor is the name of the conversion sweep's cursor.
const ConversionCursor = "conversions"

// HistogramCase returns the SQL expression of a lead's bucket in a
// histogram of measure (see rapport.LeadOutcomeStore.FindLeadHistogram),
// the same in both SQL dialects. Bounds and now are integers written
// into the text: they come from durations and times, never from text.
func HistogramCase(measure string, bounds []time.Duration, now time.Time) (string, error) {
	var m string
	switch measure {
	case rapport.MeasureToFirstAttempt:
		m = "(first_attempt_at - submitted_at)"
	case rapport.MeasureAgeAtDelivery:
		m = "(received_at - submitted_at)"
	case rapport.MeasureAge:
		m = fmt.Sprintf("(%d - submitted_at)", Nanos(now))
	default:
		return "", rapport.Errorf(rapport.EINVALID, "measure: must be %s, %s or %s",
			rapport.MeasureToFirstAttempt, rapport.MeasureAgeAtDelivery, rapport.MeasureAge)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "CASE WHEN %s IS NULL THEN -1", m)
	for i, d := range bounds {
		if i > 0 && d <= bounds[i-1] {
			return "", rapport.Errorf(rapport.EINVALID, "bounds: must increase")
		}
		fmt.Fprintf(&b, " WHEN %s < %d THEN %d", m, int64(d), i)
	}
	fmt.Fprintf(&b, " ELSE %d END", len(bounds))
	return b.String(), nil
}

// SortLeadTotals orders totals by vendor, then day, as
// FindLeadTotals returns them.
func SortLeadTotals(ts []rapport.LeadTotals) {
	slices.SortFunc(ts, func(a, b rapport.LeadTotals) int {
		return cmp.Or(cmp.Compare(a.VendorID, b.VendorID), a.Day.Compare(b.Day))
	})
}

package lead

import (
	"slices"
	"strings"
	"time"

	"github.com/rapportdev/rapport"
)

// CheckReturn decides whether lead l, bought from v, may be returned at
// now for reason under v's contract, and returns the reason as recorded
// and the credit due (the price paid). A contract without a return
// window takes no returns; one without reasons takes any stated reason.
func CheckReturn(l *rapport.Lead, v *rapport.Vendor, reason string, now time.Time) (string, float64, error) {
	reason = strings.ToLower(strings.Join(strings.Fields(reason), " "))
	terms := v.Terms
	switch {
	case reason == "" || len(reason) > 200:
		return "", 0, rapport.Errorf(rapport.EINVALID, "reason: required, at most 200 bytes")
	case !l.ReturnedAt.IsZero():
		return "", 0, rapport.Errorf(rapport.ECONFLICT, "lead %s was returned already, on %s", l.ID, l.ReturnedAt.UTC().Format(time.RFC3339))
	case terms.ReturnWindowHours == 0:
		return "", 0, rapport.Errorf(rapport.ECONFLICT, "vendor %s takes no returns (terms.returnWindowHours is 0)", v.ID)
	case l.OverCap || l.Price == 0:
		return "", 0, rapport.Errorf(rapport.ECONFLICT, "lead %s was not paid for: nothing to credit", l.ID)
	}
	// Validate bounds the window, but a vendor stored before it did may
	// hold more hours than a Duration counts: past the bound, the window
	// is as good as endless, and must not wrap round to closed.
	hours := min(terms.ReturnWindowHours, rapport.MaxReturnWindowHours)
	closes := l.ReceivedAt.Add(time.Duration(hours) * time.Hour)
	if now.After(closes) {
		return "", 0, rapport.Errorf(rapport.ECONFLICT, "the return window of lead %s (%d hours, terms.returnWindowHours) closed on %s",
			l.ID, terms.ReturnWindowHours, closes.UTC().Format(time.RFC3339))
	}
	if len(terms.ReturnReasons) > 0 && !slices.ContainsFunc(terms.ReturnReasons, func(r string) bool {
		return strings.EqualFold(strings.Join(strings.Fields(r), " "), reason)
	}) {
		return "", 0, rapport.Errorf(rapport.EINVALID, "reason: %q is not among vendor %s's return reasons (%s)",
			reason, v.ID, strings.Join(terms.ReturnReasons, ", "))
	}
	return reason, l.Price, nil
}

// Caps returns the caps of v's contract in force at now: the daily cap
// from the UTC day's start, the monthly one from the UTC month's, each
// refusing a lead over it or keeping it unpaid as terms.overCap says.
func Caps(v *rapport.Vendor, now time.Time) []rapport.LeadCap {
	unpaid := v.Terms.OverCap == rapport.OverCapUnpaid
	var out []rapport.LeadCap
	if n := v.Terms.DailyCap; n > 0 {
		out = append(out, rapport.LeadCap{VendorID: v.ID, Term: "terms.dailyCap", Limit: n, Since: Start("day", now), Unpaid: unpaid})
	}
	if n := v.Terms.MonthlyCap; n > 0 {
		out = append(out, rapport.LeadCap{VendorID: v.ID, Term: "terms.monthlyCap", Limit: n, Since: Start("month", now), Unpaid: unpaid})
	}
	return out
}

// OverCapError is the per-lead error of a lead refused over a cap.
func OverCapError(v *rapport.Vendor, c rapport.LeadCap) error {
	period := "day"
	if c.Term == "terms.monthlyCap" {
		period = "month"
	}
	return rapport.Errorf(rapport.ECONFLICT, "over the cap: vendor %s sells at most %d leads a %s (%s); this lead was not bought",
		v.ID, c.Limit, period, c.Term)
}

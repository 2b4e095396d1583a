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
	closes := l.ReceivedAt.Add(time.Duration(terms.ReturnWindowHours) * time.Hour)
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

// Cap is one of a vendor's caps: at most Limit leads received since Since.
type Cap struct {
	// Field names the term ("terms.dailyCap") in errors.
	Field string
	Limit int
	Since time.Time
}

// Caps returns the caps of v's contract in force at now: the daily cap
// from the UTC day's start, the monthly one from the UTC month's.
func Caps(v *rapport.Vendor, now time.Time) []Cap {
	var out []Cap
	if n := v.Terms.DailyCap; n > 0 {
		out = append(out, Cap{Field: "terms.dailyCap", Limit: n, Since: Start("day", now)})
	}
	if n := v.Terms.MonthlyCap; n > 0 {
		out = append(out, Cap{Field: "terms.monthlyCap", Limit: n, Since: Start("month", now)})
	}
	return out
}

// OverCapError is the per-lead error of a lead refused over a cap.
func OverCapError(v *rapport.Vendor, c Cap) error {
	period := "day"
	if c.Field == "terms.monthlyCap" {
		period = "month"
	}
	return rapport.Errorf(rapport.ECONFLICT, "over the cap: vendor %s sells at most %d leads a %s (%s); this lead was not bought",
		v.ID, c.Limit, period, c.Field)
}

// Unpaid marks a lead accepted over its vendor's cap: kept, not paid.
func Unpaid(l *rapport.Lead) {
	l.OverCap, l.Price = true, 0
}

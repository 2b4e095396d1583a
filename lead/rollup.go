package lead

import (
	"cmp"
	"slices"
	"time"

	"github.com/rapportdev/rapport"
)

// PeriodTotals are the totals of one vendor over one period: the days'
// totals added up, with the period's label and bounds (zero for all time).
type PeriodTotals struct {
	rapport.LeadTotals
	Period     string
	Start, End time.Time
}

// Start returns the start of the period holding day: the day, the Monday
// of its ISO week, the first of its month, or the zero time for all time.
func Start(period string, day time.Time) time.Time {
	day = day.UTC().Truncate(24 * time.Hour)
	switch period {
	case "day":
		return day
	case "week":
		return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	case "month":
		return time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Time{}
}

// End returns the end (exclusive) of the period starting at start.
func End(period string, start time.Time) time.Time {
	switch period {
	case "day":
		return start.AddDate(0, 0, 1)
	case "week":
		return start.AddDate(0, 0, 7)
	case "month":
		return start.AddDate(0, 1, 0)
	}
	return time.Time{}
}

// RollUp adds the days' totals into periods, by vendor then period.
func RollUp(days []rapport.LeadTotals, period string) []PeriodTotals {
	label := periodFormats[period]
	if label == nil {
		period, label = "", periodFormats[""]
	}
	groups := map[[2]string]*PeriodTotals{}
	for i := range days {
		d := &days[i]
		start := Start(period, d.Day)
		k := [2]string{d.VendorID, start.Format(time.DateOnly)}
		g := groups[k]
		if g == nil {
			g = &PeriodTotals{LeadTotals: rapport.LeadTotals{VendorID: d.VendorID, Day: start}, Start: start,
				End: End(period, start), Period: label(start)}
			groups[k] = g
		}
		Add(&g.LeadTotals, d)
	}
	out := make([]PeriodTotals, 0, len(groups))
	for _, g := range groups {
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b PeriodTotals) int {
		return cmp.Or(cmp.Compare(a.VendorID, b.VendorID), a.Start.Compare(b.Start))
	})
	return out
}

// Add adds d's counts and sums into t.
func Add(t, d *rapport.LeadTotals) {
	t.Leads += d.Leads
	t.Spend += d.Spend
	t.Contacted += d.Contacted
	t.Conversions += d.Conversions
	t.Revenue += d.Revenue
	t.ConsentFailures += d.ConsentFailures
	t.Bots += d.Bots
	t.Duplicates += d.Duplicates
	t.Overpaid += d.Overpaid
	t.OverCap += d.OverCap
	t.Returns += d.Returns
	t.Credits += d.Credits
	t.Engagement += d.Engagement
	t.Expected += d.Expected
	t.MaxPrice += d.MaxPrice
}

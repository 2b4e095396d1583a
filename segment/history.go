package segment

import (
	"time"

	"github.com/rapportdev/rapport"
)

// countEvents returns how many events named name happened in the last
// days days as of now: now's UTC day and the days-1 days before it.
// Events dated after now's day are not counted. A nil history counts
// nothing.
func countEvents(h *rapport.EventHistory, name string, days int, now time.Time) int {
	if h == nil || days < 1 {
		return 0
	}
	last := int64(rapport.DayOf(now))
	first := last - int64(days) + 1
	n := 0
	for _, dc := range h.Events[name] {
		if d := int64(dc.Day); d >= first && d <= last {
			n += int(dc.N)
		}
	}
	return n
}

// bought reports whether category was bought on a day whose month and day
// fall within the window from..to ("MM-DD", both ends included) in any
// year. A window whose end comes before its start wraps over the new year
// ("12-20" to "01-06"). An invalid window buys nothing; Compile refuses
// invalid constant windows.
func bought(h *rapport.EventHistory, category, from, to string) bool {
	if h == nil {
		return false
	}
	lo, err := parseMonthDay(from)
	if err != nil {
		return false
	}
	hi, err := parseMonthDay(to)
	if err != nil {
		return false
	}
	for _, day := range h.Purchases[category] {
		if inWindow(monthDayOf(day), lo, hi) {
			return true
		}
	}
	return false
}

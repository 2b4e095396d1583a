package segment

import (
	"fmt"
	"time"
)

// A month-day is month*100 + day, so that month-days order like dates
// within a year: 214 is February 14.

// parseMonthDay reads "MM-DD" (February 29 included).
func parseMonthDay(s string) (int, error) {
	if len(s) != 5 || s[2] != '-' || !digits(s[:2]) || !digits(s[3:]) {
		return 0, fmt.Errorf("month-day %q: want MM-DD, like 02-14", s)
	}
	month := int(s[0]-'0')*10 + int(s[1]-'0')
	day := int(s[3]-'0')*10 + int(s[4]-'0')
	if month < 1 || month > 12 {
		return 0, fmt.Errorf("month-day %q: month %d is not 01 to 12", s, month)
	}
	// 2000 is a leap year, so February 29 is valid.
	last := time.Date(2000, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if day < 1 || day > last {
		return 0, fmt.Errorf("month-day %q: day %d is not 01 to %02d", s, day, last)
	}
	return month*100 + day, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// monthDayOf returns the month-day of a day counted since 1970-01-01.
func monthDayOf(day int32) int {
	t := time.Unix(int64(day)*86400, 0).UTC()
	return int(t.Month())*100 + t.Day()
}

// inWindow reports whether month-day md is within lo..hi, wrapping over
// the new year when hi < lo.
func inWindow(md, lo, hi int) bool {
	if lo <= hi {
		return md >= lo && md <= hi
	}
	return md >= lo || md <= hi
}

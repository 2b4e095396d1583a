package clv

import (
	"fmt"
	"time"
)

// ParseDate reads a day as YYYY-MM-DD or YYYYMMDD and returns its midnight
// UTC. Days that do not exist (1997-02-30) are refused.
func ParseDate(s string) (time.Time, error) {
	var y, m, d int
	var ok bool
	switch len(s) {
	case 10:
		if s[4] == '-' && s[7] == '-' {
			y, ok = digits(s[0:4])
			m, ok = digitsAnd(ok, s[5:7])
			d, ok = digitsAnd(ok, s[8:10])
		}
	case 8:
		y, ok = digits(s[0:4])
		m, ok = digitsAnd(ok, s[4:6])
		d, ok = digitsAnd(ok, s[6:8])
	}
	if !ok {
		return time.Time{}, fmt.Errorf("date %q: want YYYY-MM-DD or YYYYMMDD", s)
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if y == 0 || t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return time.Time{}, fmt.Errorf("date %q does not exist", s)
	}
	return t, nil
}

// digits reads a string of ASCII digits as a number.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// digitsAnd is digits when ok, else a failure: it chains the fields of a date.
func digitsAnd(ok bool, s string) (int, bool) {
	if !ok {
		return 0, false
	}
	return digits(s)
}

// dateOf is the midnight UTC of t's calendar day.
func dateOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// dayNumber counts the days from 1970-01-01 to t's calendar day.
func dayNumber(t time.Time) int64 {
	return dateOf(t).Unix() / 86400
}

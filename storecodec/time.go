package storecodec

import (
	"math"
	"time"
)

// Times are stored as unix nanoseconds, which sort and compare as
// integers and keep nanoseconds (PostgreSQL's timestamptz keeps
// microseconds). The zero time is stored as NULL. Times outside the years
// 1678-2262 do not fit and are clamped; where that matters (event times)
// the JSON body keeps the exact value.
var (
	minNanoTime = time.Unix(0, math.MinInt64)
	maxNanoTime = time.Unix(0, math.MaxInt64)
)

// Nanos returns t as unix nanoseconds, clamped to the int64 range.
func Nanos(t time.Time) int64 {
	switch {
	case t.Before(minNanoTime):
		return math.MinInt64
	case t.After(maxNanoTime):
		return math.MaxInt64
	}
	return t.UnixNano()
}

// NullNanos returns t as unix nanoseconds, or nil (NULL) for the zero
// time. database/sql and pgx both bind a nil *int64 as NULL and scan NULL
// into a *int64 as nil.
func NullNanos(t time.Time) *int64 {
	if t.IsZero() {
		return nil
	}
	n := Nanos(t)
	return &n
}

// FromNanos is the inverse of NullNanos, in UTC.
func FromNanos(n *int64) time.Time {
	if n == nil {
		return time.Time{}
	}
	return time.Unix(0, *n).UTC()
}

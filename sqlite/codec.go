package sqlite

import (
	"database/sql"
	"math"
	"time"
)

// Times are stored as unix nanoseconds, which sort and compare as
// integers. The zero time is stored as NULL. Times outside the years
// 1678-2262 do not fit and are clamped; where that matters (event times)
// the JSON body keeps the exact value.
var (
	minNanoTime = time.Unix(0, math.MinInt64)
	maxNanoTime = time.Unix(0, math.MaxInt64)
)

// nanos returns t as unix nanoseconds, clamped to the int64 range.
func nanos(t time.Time) int64 {
	switch {
	case t.Before(minNanoTime):
		return math.MinInt64
	case t.After(maxNanoTime):
		return math.MaxInt64
	}
	return t.UnixNano()
}

// nullNanos returns t as unix nanoseconds, or NULL for the zero time.
func nullNanos(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: nanos(t), Valid: true}
}

// fromNanos is the inverse of nullNanos, in UTC.
func fromNanos(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(0, n.Int64).UTC()
}

// limit returns the page size to use for a requested limit: 50 when
// unset, at most 1000.
func limit(n int) int {
	switch {
	case n <= 0:
		return 50
	case n > 1000:
		return 1000
	}
	return n
}

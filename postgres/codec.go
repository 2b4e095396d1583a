package postgres

import (
	"bytes"
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// Times are stored as unix nanoseconds, as package sqlite does, so both
// keep nanoseconds (timestamptz keeps microseconds) and order alike. The
// zero time is NULL. Times outside the years 1678-2262 are clamped; where
// that matters (event times) the JSON body keeps the exact value.
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

// nullNanos returns t as unix nanoseconds, or nil (NULL) for the zero time.
func nullNanos(t time.Time) *int64 {
	if t.IsZero() {
		return nil
	}
	n := nanos(t)
	return &n
}

// fromNanos is the inverse of nullNanos, in UTC.
func fromNanos(n *int64) time.Time {
	if n == nil {
		return time.Time{}
	}
	return time.Unix(0, *n).UTC()
}

// text makes s storable in a PostgreSQL text column, which refuses NUL
// and invalid UTF-8: NUL becomes U+FFFD and so does each invalid byte.
// Client input can contain both; one bad message must not fail a batch.
// Lookups pass their values through text too, so they still match.
func text(s string) string {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s { // range yields U+FFFD for each invalid byte
		if r == 0 {
			r = utf8.RuneError
		}
		b.WriteRune(r)
	}
	return b.String()
}

// jsonb makes encoded JSON storable as jsonb, which refuses the escape
// \u0000: it becomes \ufffd. Go's encoder writes a literal backslash as
// \\, so the scan skips escaped pairs to leave those alone.
func jsonb(b []byte) []byte {
	if !bytes.Contains(b, []byte(`\u0000`)) {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' || i+1 == len(b) {
			out = append(out, b[i])
			continue
		}
		if bytes.HasPrefix(b[i:], []byte(`\u0000`)) {
			out = append(out, `\ufffd`...)
			i += 5
			continue
		}
		out = append(out, b[i], b[i+1])
		i++
	}
	return out
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

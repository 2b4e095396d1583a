package rapport

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// Number reads a trait or property value as a finite number: a JSON number
// (float64 after decoding, or json.Number), a Go integer, or a numeric
// string such as "19.99" (clients send both). Anything else, and NaN or
// infinities, report false.
func Number(v any) (float64, bool) {
	var f float64
	switch x := v.(type) {
	case float64:
		f = x
	case float32:
		f = float64(x)
	case int:
		f = float64(x)
	case int64:
		f = float64(x)
	case int32:
		f = float64(x)
	case uint64:
		f = float64(x)
	case json.Number:
		return parseFinite(string(x))
	case string:
		return parseFinite(x)
	default:
		return 0, false
	}
	return f, !math.IsNaN(f) && !math.IsInf(f, 0)
}

// parseFinite parses a decimal number, refusing NaN and infinities.
func parseFinite(s string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
}

package profile

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// text reads a JSON value as an identifier: a trimmed string, or a number
// written without exponent or trailing zeros (an order id sent as 1001).
// Other shapes read as "".
func text(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case json.Number:
		return x.String()
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		if !isFinite(x) {
			return ""
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return ""
}

func isFinite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// addFinite returns a+b, or a when the sum would not be a finite number, so
// absurd inputs cannot turn a total into infinity or NaN.
func addFinite(a, b float64) float64 {
	if s := a + b; isFinite(s) {
		return s
	}
	return a
}

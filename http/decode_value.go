package http

import (
	"bytes"
	"fmt"
	json "github.com/goccy/go-json"
	"reflect"
	"strconv"
	"time"
	"unicode/utf8"
)

// flexID is an identifier that Segment lets clients send as a string or a
// number; a number is kept as its decimal text.
type flexID string

// UnmarshalJSON implements json.Unmarshaler.
func (id *flexID) UnmarshalJSON(b []byte) error {
	switch {
	case len(b) == 0 || string(b) == "null":
		return nil
	case b[0] == '"':
		s, err := unquote(b)
		*id = flexID(s)
		return err
	case b[0] == '-' || (b[0] >= '0' && b[0] <= '9'):
		return id.setNumber(b)
	}
	return &json.UnmarshalTypeError{Value: jsonKind(b[0]), Type: reflect.TypeFor[flexID]()}
}

// setNumber keeps an integer literal as written, so ids beyond 2^53 keep
// every digit, and writes other numbers (1.5e3) in plain decimal.
func (id *flexID) setNumber(b []byte) error {
	if isInteger(b) {
		*id = flexID(b)
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return &json.UnmarshalTypeError{Value: "number " + string(b), Type: reflect.TypeFor[flexID]()}
	}
	*id = flexID(strconv.FormatFloat(f, 'f', -1, 64))
	return nil
}

// isInteger reports whether a JSON number literal has no fraction or
// exponent.
func isInteger(b []byte) bool {
	for i, c := range b {
		if !(c >= '0' && c <= '9') && !(i == 0 && c == '-') {
			return false
		}
	}
	return true
}

// jsonKind names the JSON kind of a value from its first byte.
func jsonKind(c byte) string {
	switch c {
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "bool"
	}
	return "value"
}

// timeLayouts are the ISO-8601 forms accepted, most common first. A time
// without an offset is read as UTC.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999Z07",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02",
}

// parseTimeJSON reads a raw JSON time field. Missing, null, "" and Go's
// zero time (which some clients send for "unset") all mean no time.
func parseTimeJSON(field string, raw json.RawMessage) (time.Time, *refusal) {
	if isAbsent(raw) {
		return time.Time{}, nil
	}
	s, err := unquote(raw)
	if err != nil {
		return time.Time{}, &refusal{reasonBadTimestamp, fmt.Sprintf("%s must be an ISO-8601 string", field)}
	}
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, &refusal{reasonBadTimestamp, fmt.Sprintf("%s %q is not an ISO-8601 time", field, truncate(s, 40))}
}

// truncate shortens s to at most n bytes for an error message, on a rune
// boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// unquote returns the string a JSON string literal holds. Plain literals
// (no escapes, valid UTF-8), nearly all ids and times, are sliced without
// starting another decoder.
func unquote(b []byte) (string, error) {
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		inner := b[1 : len(b)-1]
		if bytes.IndexByte(inner, '\\') < 0 && bytes.IndexByte(inner, '"') < 0 && utf8.Valid(inner) {
			return string(inner), nil
		}
	}
	var s string
	err := json.Unmarshal(b, &s)
	return s, err
}

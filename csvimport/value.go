package csvimport

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Times outside these years are rejected: they are typing errors or
// placeholders (0001-01-01), and a zero time is not a valid event time.
const (
	minYear = 1900
	maxYear = 2200
)

// parseTime reads s with the first layout that fits, in loc when s names
// no zone.
func parseTime(s string, layouts []string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range layouts {
		t, err := time.ParseInLocation(layout, s, loc)
		if err != nil {
			continue
		}
		if y := t.UTC().Year(); y < minYear || y > maxYear {
			return time.Time{}, fmt.Errorf("time %q outside the years %d-%d", s, minYear, maxYear)
		}
		return t.UTC(), nil
	}
	return time.Time{}, fmt.Errorf("unparsable time %q", s)
}

// parseNumber reads a finite decimal number.
func parseNumber(s string) (float64, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, fmt.Errorf("bad number %q", s)
	}
	return f, nil
}

// normalizeID trims an identifier and drops an all-zero fraction, so that
// "17850.0" becomes "17850". Spreadsheets write integer ids as floats (the
// UCI Online Retail file does); the same customer must get the same id
// whether its file went through a spreadsheet or not. "17850.5" is kept.
func normalizeID(s string) string {
	s = strings.TrimSpace(s)
	whole, frac, ok := strings.Cut(s, ".")
	if !ok || whole == "" || frac == "" || strings.Trim(frac, "0") != "" {
		return s
	}
	digits := strings.TrimPrefix(whole, "-")
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return s
	}
	return whole
}

// traitValue types a trait read from a cell: a plain decimal number becomes
// a number, so that fit rules can compare ages and incomes; anything else,
// including numbers with leading zeros (zip codes, phone numbers), stays
// text.
func traitValue(s string) any {
	s = strings.TrimSpace(s)
	digits := strings.TrimPrefix(s, "-")
	if digits == "" || len(digits) > 15 || (len(digits) > 1 && digits[0] == '0' && digits[1] != '.') {
		return s
	}
	if strings.Trim(digits, "0123456789.") != "" || strings.Count(digits, ".") > 1 || digits[0] == '.' {
		return s
	}
	f, err := parseNumber(s)
	if err != nil {
		return s
	}
	return f
}

// roundMoney removes float noise from sums of prices (15.299999999999999
// becomes 15.3) without losing any real precision.
func roundMoney(f float64) float64 { return math.Round(f*1e6) / 1e6 }

// digest returns a hex SHA-256 prefix of the parts, separated so that
// ("ab","c") and ("a","bc") differ.
func digest(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// snakeCase turns a header into a trait name: "Marital Status" becomes
// "marital_status".
func snakeCase(s string) string {
	var b strings.Builder
	sep := false
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			sep = b.Len() > 0
			continue
		}
		if sep {
			b.WriteByte('_')
			sep = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

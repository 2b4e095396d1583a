package dashboard

import (
	"encoding/json"
	"html/template"
	"strconv"
	"strings"
	"time"
)

// funcs are the helpers templates format values with.
func funcs(a *assets) template.FuncMap {
	return template.FuncMap{
		"asset":   a.url,
		"when":    when,
		"day":     day,
		"num":     num,
		"money":   money,
		"percent": percent,
		"value":   value,
		"label":   label,
		"ratio":   ratio,
		"param":   param,
	}
}

// when writes a time to the minute in UTC, "" for the zero time.
func when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// day writes a time's UTC date.
func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}

// num writes a score with one decimal, without a trailing ".0".
func num(f float64) string {
	s := strings.TrimSuffix(strconv.FormatFloat(f, 'f', 1, 64), ".0")
	if s == "-0" {
		return "0"
	}
	return s
}

// money writes an amount with two decimals.
func money(f float64) string {
	return strconv.FormatFloat(f, 'f', 2, 64)
}

// percent writes a probability (0 to 1) as a percentage with one decimal.
func percent(p float64) string {
	return strconv.FormatFloat(p*100, 'f', 1, 64) + "%"
}

// value writes a trait or property value: text as it is, numbers without
// exponent, anything else as JSON. The template escapes the result.
func value(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "(not displayable)"
	}
	return string(b)
}

// label turns a stage or rule name such as "repeat_customer" into words.
func label(s string) string {
	return strings.ReplaceAll(s, "_", " ")
}

// ratio writes an optional ratio (a ROI) with two decimals, "–" when
// there is none (nothing was spent).
func ratio(r *float64) string {
	if r == nil {
		return "–"
	}
	return strconv.FormatFloat(*r, 'f', 2, 64)
}

// param writes a fitted model's parameter with four significant digits,
// which also shows one that ran off to 1e-7 or 1e7.
func param(f float64) string {
	return strconv.FormatFloat(f, 'g', 4, 64)
}

package csvimport

import (
	"testing"
	"time"
)

func TestNormalizeID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"17850.0", "17850"}, {" 17850.00 ", "17850"}, {"-3.0", "-3"}, {"17850", "17850"},
		{"17850.5", "17850.5"}, {"A1.0", "A1.0"}, {".0", ".0"}, {"1.", "1."}, {"C536379", "C536379"}, {"", ""},
	}
	for _, tt := range tests {
		if got := normalizeID(tt.in); got != tt.want {
			t.Errorf("normalizeID(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseTime(t *testing.T) {
	utc := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, time.UTC) }
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2010-12-01T08:26:00+01:00", utc(2010, 12, 1, 7, 26), true},
		{"2010-12-01 08:26:00", utc(2010, 12, 1, 8, 26), true},
		{"2010-12-01", utc(2010, 12, 1, 0, 0), true},
		{"20101201", utc(2010, 12, 1, 0, 0), true},
		{"12/1/2010 8:26", utc(2010, 12, 1, 8, 26), true},
		{"1/1/0001", time.Time{}, false},
		{"2010-13-01", time.Time{}, false},
		{"yesterday", time.Time{}, false},
	}
	for _, tt := range tests {
		got, err := parseTime(tt.in, DefaultTimeLayouts, time.UTC)
		if (err == nil) != tt.ok || !got.Equal(tt.want) {
			t.Errorf("parseTime(%q) = %v, %v; want %v, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestTraitValue(t *testing.T) {
	tests := []struct {
		in   string
		want any
	}{
		{"58", 58.0}, {"-1", -1.0}, {"2143.5", 2143.5}, {"0", 0.0}, {"0.5", 0.5},
		{"02139", "02139"}, {"+44 20", "+44 20"}, {"1e5", "1e5"}, {"1.2.3", "1.2.3"}, {".5", ".5"},
		{"married", "married"}, {"1234567890123456", "1234567890123456"},
	}
	for _, tt := range tests {
		if got := traitValue(tt.in); got != tt.want {
			t.Errorf("traitValue(%q) = %#v, want %#v", tt.in, got, tt.want)
		}
	}
}

func TestSnakeCase(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Marital Status", "marital_status"}, {" y ", "y"}, {"Income-Band (EUR)", "income_band_eur"}, {"Straße", "straße"}, {"--", ""},
	}
	for _, tt := range tests {
		if got := snakeCase(tt.in); got != tt.want {
			t.Errorf("snakeCase(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

package segment

import (
	"strings"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
)

func at(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestCountEvents(t *testing.T) {
	var h rapport.EventHistory
	for _, s := range []string{"2024-12-01 10:00", "2025-02-10 10:00", "2025-03-11 10:00", "2025-03-12 09:00", "2025-03-12 14:00", "2025-03-20 10:00"} {
		h.Add("Order Completed", at(s), rapport.HistoryDays)
	}
	h.Add("Product Viewed", at("2025-03-12 10:00"), rapport.HistoryDays)
	tests := []struct {
		name string
		days int
		want int
	}{
		{"today", 1, 2},
		{"two days", 2, 3},
		{"thirty days", 30, 3}, // 02-10 is the 31st day back; 03-20 is after now
		{"ninety days", 90, 4},
		{"a year", 365, 5},
		{"no days", 0, 0},
	}
	for _, tt := range tests {
		if got := countEvents(&h, "Order Completed", tt.days, now); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
		}
	}
	// A history kept for 30 days has dropped older days: count over 90
	// days sees only what is left.
	var short rapport.EventHistory
	short.Add("Order Completed", now.AddDate(0, 0, -60), 30)
	short.Add("Order Completed", now.AddDate(0, 0, -1), 30)
	if got := countEvents(&short, "Order Completed", 90, now); got != 1 {
		t.Errorf("30-day history over 90 days: %d, want 1", got)
	}
	if got := countEvents(nil, "Order Completed", 30, now); got != 0 {
		t.Errorf("nil history counts %d", got)
	}
}

func TestBought(t *testing.T) {
	var h rapport.EventHistory
	h.AddPurchase("flowers", at("2023-02-10 10:00"))
	h.AddPurchase("cards", at("2024-12-31 10:00"))
	h.AddPurchase("cards", at("2024-02-29 10:00"))
	tests := []struct {
		category, from, to string
		want               bool
	}{
		{"flowers", "02-07", "02-14", true},
		{"flowers", "02-10", "02-10", true},
		{"flowers", "02-11", "02-14", false},
		{"flowers", "01-01", "02-09", false},
		{"vases", "01-01", "12-31", false},
		{"cards", "12-20", "01-05", true}, // wraps over the new year
		{"cards", "01-01", "01-05", false},
		{"cards", "02-29", "02-29", true},
		{"cards", "13-01", "12-31", false}, // invalid window
	}
	for _, tt := range tests {
		if got := bought(&h, tt.category, tt.from, tt.to); got != tt.want {
			t.Errorf("bought(%s, %s, %s) = %v, want %v", tt.category, tt.from, tt.to, got, tt.want)
		}
	}
	if bought(nil, "flowers", "01-01", "12-31") {
		t.Error("nil history bought something")
	}
}

func TestParseMonthDay(t *testing.T) {
	tests := []struct {
		in   string
		want int
		err  string
	}{
		{"02-14", 214, ""},
		{"12-31", 1231, ""},
		{"02-29", 229, ""},
		{"02-30", 0, "day 30 is not 01 to 29"},
		{"04-31", 0, "day 31 is not 01 to 30"},
		{"00-10", 0, "month 0 is not 01 to 12"},
		{"2-14", 0, "want MM-DD"},
		{"02/14", 0, "want MM-DD"},
		{"0a-14", 0, "want MM-DD"},
	}
	for _, tt := range tests {
		got, err := parseMonthDay(tt.in)
		if got != tt.want || (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("parseMonthDay(%q) = %d, %v; want %d, %q", tt.in, got, err, tt.want, tt.err)
		}
	}
}

package lead_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/lead"
)

func TestCredit(t *testing.T) {
	at := func(h int) time.Time { return submitted.Add(time.Duration(h) * time.Hour) }
	window := 30 * 24 * time.Hour
	first := rapport.Lead{ID: "a", SubmittedAt: at(0), ReceivedAt: at(0)}
	second := rapport.Lead{ID: "b", SubmittedAt: at(10), ReceivedAt: at(10)}
	reached := rapport.Lead{ID: "c", SubmittedAt: at(5), ReceivedAt: at(5), FirstContactAt: at(6)}
	returned := rapport.Lead{ID: "d", SubmittedAt: at(20), ReceivedAt: at(20), ReturnedAt: at(21)}
	reachedLate := rapport.Lead{ID: "e", SubmittedAt: at(1), ReceivedAt: at(1), FirstContactAt: at(50)}
	for _, c := range []struct {
		name  string
		leads []rapport.Lead
		order time.Time
		want  string
	}{
		{"the latest inquiry when nobody was reached", []rapport.Lead{first, second}, at(30), "b"},
		{"the lead reached before the order", []rapport.Lead{first, reached, second}, at(30), "c"},
		{"a contact after the order does not count", []rapport.Lead{reachedLate, second}, at(30), "b"},
		{"a returned lead never", []rapport.Lead{first, returned}, at(30), "a"},
		{"a lead submitted after the order never", []rapport.Lead{second}, at(9), ""},
		{"within the clock skew", []rapport.Lead{second}, at(10).Add(-4 * time.Minute), "b"},
		{"a lead older than the window never", []rapport.Lead{first}, at(0).Add(window + time.Hour), ""},
		{"ties go to the larger id", []rapport.Lead{{ID: "x", SubmittedAt: at(1), ReceivedAt: at(1)},
			{ID: "y", SubmittedAt: at(1), ReceivedAt: at(1)}}, at(2), "y"},
	} {
		got := lead.Credit(c.leads, c.order, window)
		id := ""
		if got != nil {
			id = got.ID
		}
		if id != c.want {
			t.Errorf("%s: credit %q, want %q", c.name, id, c.want)
		}
	}
}

// TestCreditFromReceipt checks that the window counts from the lead's
// receipt, as training and the outcome window do, and that an order
// placed before the lead was bought credits nothing, however late the
// sweep reads it.
func TestCreditFromReceipt(t *testing.T) {
	at := func(h int) time.Time { return submitted.Add(time.Duration(h) * time.Hour) }
	window := 30 * 24 * time.Hour
	held := rapport.Lead{ID: "held", SubmittedAt: at(0), ReceivedAt: at(48)}
	for _, c := range []struct {
		name  string
		lead  rapport.Lead
		order time.Time
		want  string
	}{
		{"an order before the receipt", held, at(47), ""},
		{"an order a minute before the receipt, within the skew", held, at(48).Add(-time.Minute), "held"},
		{"an order beyond the skew before the receipt", held, at(48).Add(-6 * time.Minute), ""},
		{"an order after the receipt", held, at(49), "held"},
		{"the window's last moment, counted from the receipt", held, at(48).Add(window), "held"},
		{"past the window from the receipt", held, at(48).Add(window + time.Second), ""},
		{"past the window from the submission, within it from the receipt", held, at(0).Add(window + time.Hour), "held"},
	} {
		id := ""
		if got := lead.Credit([]rapport.Lead{c.lead}, c.order, window); got != nil {
			id = got.ID
		}
		if id != c.want {
			t.Errorf("%s: credit %q, want %q", c.name, id, c.want)
		}
	}
}

func TestOrderRevenue(t *testing.T) {
	for _, c := range []struct {
		props string
		want  float64
	}{
		{`{"revenue": 120.5, "total": 200}`, 120.5},
		{`{"total": "80"}`, 80},
		{`{"products": [{"price": 10, "quantity": 3}, {"price": 2.5}]}`, 32.5},
		{`{"revenue": -5}`, 0},
		{`{"products": "none"}`, 0},
		{`{"revenue": 1e300}`, 0},
	} {
		var props map[string]any
		if err := json.Unmarshal([]byte(c.props), &props); err != nil {
			t.Fatal(err)
		}
		if got := lead.OrderRevenue(props); got != c.want {
			t.Errorf("OrderRevenue(%s) = %v, want %v", c.props, got, c.want)
		}
	}
}

func TestRollUpPeriods(t *testing.T) {
	// 2026-11-23 is a Monday; 2026-11-29 a Sunday; 2026-12-01 a Tuesday.
	day := func(d int) time.Time { return time.Date(2026, 11, 22+d, 0, 0, 0, 0, time.UTC) }
	days := []rapport.LeadTotals{{VendorID: "v", Day: day(0), Leads: 1}, {VendorID: "v", Day: day(1), Leads: 2},
		{VendorID: "v", Day: day(7), Leads: 4}, {VendorID: "v", Day: day(9), Leads: 8}}
	for _, c := range []struct {
		period string
		want   map[string]int
	}{
		{"", map[string]int{"": 15}},
		{"week", map[string]int{"2026-W47": 1, "2026-W48": 6, "2026-W49": 8}},
		{"month", map[string]int{"2026-11": 7, "2026-12": 8}},
		{"day", map[string]int{"2026-11-22": 1, "2026-11-23": 2, "2026-11-29": 4, "2026-12-01": 8}},
	} {
		got := map[string]int{}
		for _, g := range lead.RollUp(days, c.period) {
			got[g.Period] = g.Leads
			if c.period != "" && !g.End.After(g.Start) {
				t.Errorf("period %s %s: bounds %v to %v", c.period, g.Period, g.Start, g.End)
			}
		}
		if len(got) != len(c.want) {
			t.Errorf("period %q: %v, want %v", c.period, got, c.want)
		}
		for k, n := range c.want {
			if got[k] != n {
				t.Errorf("period %q: %v, want %v", c.period, got, c.want)
			}
		}
	}
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

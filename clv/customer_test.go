package clv

import (
	"math"
	"testing"
	"time"
)

func TestSummarise(t *testing.T) {
	tx := func(id, date string, amount float64) Transaction {
		return Transaction{CustomerID: id, Date: day(t, date), Amount: amount}
	}
	// Unordered and unmerged on purpose: Summarise must merge and sort.
	txs := []Transaction{
		tx("a", "1997-01-15", 20),
		tx("b", "1997-01-08", 5),
		tx("a", "1997-01-01", 100), // first purchase: left out of Value
		tx("a", "1997-01-15", 10),  // same day as the 20: one purchase of 30
		tx("a", "1997-01-29", 40),
		tx("a", "1997-02-12", 1000), // after the end
		tx("c", "1997-02-01", 7),    // first purchase after the end
		tx("d", "1997-01-29", 8),    // first purchase on the end day
	}
	end := time.Date(1997, 1, 29, 23, 59, 0, 0, time.FixedZone("x", 3600)) // only the day counts
	tests := []struct {
		period Period
		want   []Customer
	}{
		{Week, []Customer{
			{ID: "a", X: 2, TX: 4, T: 4, Value: 35},
			{ID: "b", X: 0, TX: 0, T: 3},
			{ID: "d", X: 0, TX: 0, T: 0},
		}},
		{Day, []Customer{
			{ID: "a", X: 2, TX: 28, T: 28, Value: 35},
			{ID: "b", X: 0, TX: 0, T: 21},
			{ID: "d", X: 0, TX: 0, T: 0},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.period.String(), func(t *testing.T) {
			got, err := Summarise(txs, end, tt.period)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d customers %+v, want %d", len(got), got, len(tt.want))
			}
			for i, w := range tt.want {
				g := got[i]
				if g.ID != w.ID || g.X != w.X || !near(g.TX, w.TX, 1e-12) || !near(g.T, w.T, 1e-12) || !near(g.Value, w.Value, 1e-12) {
					t.Errorf("customer %d: got %+v, want %+v", i, g, w)
				}
			}
		})
	}
}

func TestSummariseErrors(t *testing.T) {
	txs := []Transaction{{CustomerID: "a", Date: time.Date(1997, 1, 1, 0, 0, 0, 0, time.UTC), Amount: 1}}
	if _, err := Summarise(txs, time.Time{}, Week); err == nil {
		t.Error("zero end date: got no error")
	}
	if _, err := Summarise(txs, txs[0].Date, Period(7)); err == nil {
		t.Error("unknown period: got no error")
	}
}

func TestParsePeriod(t *testing.T) {
	for _, s := range []string{"day", "week"} {
		p, err := ParsePeriod(s)
		if err != nil || p.String() != s {
			t.Errorf("ParsePeriod(%q) = %v, %v; want %s", s, p, err, s)
		}
	}
	if _, err := ParsePeriod("month"); err == nil {
		t.Error(`ParsePeriod("month"): got no error`)
	}
}

// near reports whether got is within rel (relative) of want.
func near(got, want, rel float64) bool {
	return math.Abs(got-want) <= rel*math.Max(math.Abs(want), 1e-300) || got == want
}

package clv

import (
	"strings"
	"testing"
	"time"
)

// day is the midnight UTC of a YYYY-MM-DD date, for tests.
func day(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestReadTransactions(t *testing.T) {
	in := "\xef\xbb\xbf Amount ,Customer_ID,date,channel\n" +
		"12.50,b,1997-01-02,web\n" +
		"1,a,19970105,shop\n" +
		"2.5,b,1997-01-02,shop\n" + // same customer, same day: merged
		"3,a,1997-01-01,web\n" + // out of order: sorted
		"4,b,1997-01-03,web\n"
	got, err := ReadTransactions(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Transaction{
		{"b", day(t, "1997-01-02"), 15},
		{"b", day(t, "1997-01-03"), 4},
		{"a", day(t, "1997-01-01"), 3},
		{"a", day(t, "1997-01-05"), 1},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d transactions %v, want %d", len(got), got, len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("transaction %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestReadTransactionsErrors(t *testing.T) {
	const header = "customer_id,date,amount\n"
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "empty input"},
		{"missing columns", "customer_id,day,value\n", "missing column date, amount"},
		{"duplicate column", "customer_id,date,amount,Date\n", `column "date" appears twice`},
		{"bad date", header + "a,1997-01-01,1\na,01/02/1997,2\n", "line 3 column date: date \"01/02/1997\": want YYYY-MM-DD or YYYYMMDD"},
		{"no such day", header + "a,1997-02-30,1\n", "line 2 column date: date \"1997-02-30\" does not exist"},
		{"month 13", header + "a,19971301,1\n", "line 2 column date"},
		{"year 0", header + "a,0000-01-01,1\n", "line 2 column date"},
		{"signed date", header + "a,+997-01-01,1\n", "line 2 column date"},
		{"bad amount", header + "a,1997-01-01,ten\n", "line 2 column amount: amount \"ten\" is not a number"},
		{"negative amount", header + "a,1997-01-01,-3\n", "line 2 column amount: amount \"-3\" is negative"},
		{"NaN amount", header + "a,1997-01-01,NaN\n", "line 2 column amount: amount \"NaN\" is not finite"},
		{"infinite amount", header + "a,1997-01-01,1e400\n", "line 2 column amount"},
		{"empty customer", header + " ,1997-01-01,1\n", "line 2 column customer_id: empty customer id"},
		{"quoted field over lines", header + "\"a\nb\",1997-01-01,1\n\"c\",x,1\n", "line 4 column date"},
		{"wrong field count", header + "a,1997-01-01\n", "line 2"},
		{"sum overflows", header + "a,1997-01-01,1e308\na,19970101,1e308\n", "line 3 column amount: the customer's amounts"},
		{"bad quote", header + "a,\"1997-01-01,1\n", "read transactions"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadTransactions(strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("got no error, want one containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got error %q, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" for an error
	}{
		{"1997-09-30", "1997-09-30"},
		{"19970930", "1997-09-30"},
		{"2024-02-29", "2024-02-29"},
		{"2023-02-29", ""},
		{"1997-9-30", ""},
		{"1997/09/30", ""},
		{"199709300", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		switch {
		case tt.want == "" && err == nil:
			t.Errorf("ParseDate(%q) = %v, want an error", tt.in, got)
		case tt.want != "" && err != nil:
			t.Errorf("ParseDate(%q): %v", tt.in, err)
		case tt.want != "" && got.Format(time.DateOnly) != tt.want:
			t.Errorf("ParseDate(%q) = %v, want %s", tt.in, got, tt.want)
		}
	}
}

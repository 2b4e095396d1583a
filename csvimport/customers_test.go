package csvimport

import (
	"context"
	"strings"
	"testing"

	"github.com/rapportdev/rapport"
)

func TestCustomersFixture(t *testing.T) {
	opts := testOptions()
	opts.Mapping = Mapping{"trait.plan": "Plan", "created_at": "Signup Date"}
	rep, events := runFile(t, Customers, "testdata/customers.csv", opts)
	validate(t, events)
	golden(t, "customers.golden.json", events)
	wantErrors := []RowError{
		{5, "missing customer id (user_id, anonymous_id, email or phone)"},
		{6, `bad email "not-an-email"`},
		{7, `created_at: unparsable time "yesterday"`},
		{8, "wrong column count: got 4, want 8"},
		{9, `bad CSV: extraneous or missing " in quoted-field`},
		{10, `bad phone "07700 900123"`},
	}
	checkErrors(t, rep.Errors, wantErrors)
	if rep.Rows != 9 || rep.Accepted != 3 || rep.Customers != 3 || rep.Events != 3 {
		t.Errorf("report = %+v, want 9 rows, 3 accepted, 3 customers, 3 events", rep)
	}
}

func checkErrors(t *testing.T, got, want []RowError) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("got %d row errors, want %d:\n%v", len(got), len(want), got)
	}
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			t.Errorf("row error %d = %v, want %v", i, got[i], want[i])
		}
	}
}

func TestCustomersSameFileTwiceSameMessageIDs(t *testing.T) {
	_, first := runFile(t, Customers, "testdata/customers.csv", testOptions())
	_, second := runFile(t, Customers, "testdata/customers.csv", testOptions())
	for i := range first {
		if first[i].MessageID != second[i].MessageID {
			t.Errorf("event %d: message id %q then %q", i, first[i].MessageID, second[i].MessageID)
		}
	}
	edited := "user_id,plan\nu1,gold\n"
	a := importString(t, Customers, "user_id,plan\nu1,silver\n", testOptions())
	b := importString(t, Customers, edited, testOptions())
	if a[0].MessageID == b[0].MessageID {
		t.Error("an edited row kept its message id; re-importing it would be ignored")
	}
}

func TestCustomersAllColumnsSemicolon(t *testing.T) {
	opts := testOptions()
	opts.Delimiter = ';'
	opts.AllColumns = true
	opts.Mapping = Mapping{"user_id": "client"}
	_, events := runFile(t, Customers, "testdata/bank.csv", opts)
	if len(events) != 2 {
		t.Fatalf("got %d events, want 2", len(events))
	}
	want := map[string]any{"age": 58.0, "job": "management", "marital": "married", "balance": 2143.0, "y": "no"}
	for k, v := range want {
		if got := events[0].Traits[k]; got != v {
			t.Errorf("trait %s = %#v, want %#v", k, got, v)
		}
	}
	if events[0].UserID != "1001" || events[0].Timestamp != testNow {
		t.Errorf("event = %+v, want userId 1001 at the clock's time", events[0])
	}
}

func TestCustomersEmailOnlyJoinsOrders(t *testing.T) {
	c := importString(t, Customers, "email\nAnn@Example.com\n", testOptions())
	o := importString(t, Orders, "order_id,email,date,total\n1, ann@example.com ,2024-01-02,10\n", testOptions())
	if c[0].AnonymousID == "" || c[0].AnonymousID != o[0].AnonymousID {
		t.Errorf("anonymous ids %q and %q, want the same derived id for the same email", c[0].AnonymousID, o[0].AnonymousID)
	}
}

func TestHeaderFailsFast(t *testing.T) {
	tests := []struct {
		name string
		fn   importer
		csv  string
		opts Options
		want string
	}{
		{"no identity", Customers, "First Name,Plan\nAnn,gold\n", Options{}, "no column for user_id or anonymous_id or email or phone (map one with field=Column); headers found: First Name, Plan"},
		{"mapped column missing", Customers, "id,mail\n1,a@b.c\n", Options{Mapping: Mapping{"email": "E-mail"}}, `column "E-mail" (mapped to email) is not in the header; headers found: id, mail`},
		{"no order id", Orders, "CustomerID,InvoiceDate,UnitPrice\n1,2024-01-01,2\n", Options{}, "no column for order_id"},
		{"no time", Orders, "InvoiceNo,CustomerID,UnitPrice\n1,1,2\n", Options{}, "no column for timestamp"},
		{"no price", Orders, "InvoiceNo,CustomerID,InvoiceDate\n1,1,2024-01-01\n", Options{}, "no column for revenue or price"},
		{"empty", Orders, "", Options{}, "empty file: no header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			called := false
			_, err := tt.fn(context.Background(), strings.NewReader(tt.csv), tt.opts, func([]rapport.Event) error { called = true; return nil })
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			if called {
				t.Error("emit was called for a file that failed its header check")
			}
		})
	}
}

// importString imports csv text and returns the events.
func importString(t *testing.T, fn importer, csv string, opts Options) []rapport.Event {
	t.Helper()
	var events []rapport.Event
	rep, err := fn(context.Background(), strings.NewReader(csv), opts, func(b []rapport.Event) error {
		events = append(events, b...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rejected > 0 {
		t.Fatalf("rejected rows: %v", rep.Errors)
	}
	return events
}

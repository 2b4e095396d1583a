package csvimport

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
)

func TestOrdersFixture(t *testing.T) {
	opts := testOptions()
	opts.Currency = "GBP"
	opts.Channel = "web"
	rep, events := runFile(t, Orders, "testdata/orders.csv", opts)
	validate(t, events)
	golden(t, "orders.golden.json", events)
	checkErrors(t, rep.Errors, []RowError{
		{6, "missing customer id (user_id, anonymous_id, email or phone)"},
		{8, `quantity: bad number "x3"`},
		{9, `timestamp: unparsable time "not a date"`},
		{10, "wrong column count: got 5, want 8"},
		{11, `customer differs from order "536365"'s first line 2`},
		{12, `bad CSV: bare " in non-quoted-field`},
		{13, "missing order id"},
		{14, "missing price and revenue"},
	})
	want := []struct {
		id, name string
		revenue  float64
		lines    int
	}{
		{"536365", rapport.EventOrderCompleted, 35.64, 2},
		{"536366", rapport.EventOrderCompleted, 11.1, 1},
		{"C536379", rapport.EventOrderRefunded, -27.5, 1},
		{"536368", rapport.EventOrderCompleted, 37.4, 2},
	}
	if len(events) != len(want) {
		t.Fatalf("got %d events, want %d", len(events), len(want))
	}
	for i, w := range want {
		e := events[i]
		p := e.Properties
		lines := e.Context["import"].(map[string]any)["lines"]
		if p["order_id"] != w.id || e.Event != w.name || p["revenue"] != w.revenue || lines != w.lines {
			t.Errorf("event %d = %s %v revenue %v lines %v, want %s %s %v %d", i, e.Event, p["order_id"], p["revenue"], lines, w.name, w.id, w.revenue, w.lines)
		}
	}
	if rep.Rows != 14 || rep.Accepted != 6 || rep.Orders != 3 || rep.Refunds != 1 {
		t.Errorf("report = %+v, want 14 rows, 6 accepted, 3 orders, 1 refund", rep)
	}
}

func TestOrdersGrouped(t *testing.T) {
	csv := "order_id,user_id,date,price,quantity\n" +
		"1,u1,2024-01-01,2,3\n" +
		"1,u1,2024-01-01,4,1\n" +
		"2,u2,2024-01-02,5,1\n" +
		"1,u1,2024-01-01,9,9\n"
	opts := testOptions()
	opts.Grouped = true
	var events []rapport.Event
	rep, err := Orders(context.Background(), strings.NewReader(csv), opts, func(b []rapport.Event) error {
		events = append(events, b...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	checkErrors(t, rep.Errors, []RowError{{5, `order "1" already ended (it started on line 2): the file is not grouped by order id`}})
	if len(events) != 2 || events[0].Properties["revenue"] != 10.0 || events[1].Properties["revenue"] != 5.0 {
		t.Errorf("events = %+v, want orders 1 (10) and 2 (5)", events)
	}
}

func TestOrdersRevenueColumnAndTimeZone(t *testing.T) {
	opts := testOptions()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skipf("no time zone data: %v", err)
	}
	opts.Location = loc
	events := importString(t, Orders, "order_id;customer_id;order_date;revenue;currency\nA1;7.0;2024-03-01 12:00:00;99.90;EUR\n", withDelimiter(opts, ';'))
	e := events[0]
	if e.UserID != "7" || e.Properties["revenue"] != 99.9 || e.Properties["currency"] != "EUR" || e.Properties["products"] != nil {
		t.Errorf("event = %+v", e)
	}
	if want := time.Date(2024, 3, 1, 11, 0, 0, 0, time.UTC); !e.Timestamp.Equal(want) {
		t.Errorf("timestamp = %v, want %v", e.Timestamp, want)
	}
}

func withDelimiter(o Options, d rune) Options {
	o.Delimiter = d
	return o
}

func TestOrdersEmitErrorStops(t *testing.T) {
	boom := errors.New("disk full")
	_, err := Orders(context.Background(), strings.NewReader("order_id,user_id,date,price\n1,u,2024-01-01,1\n"), testOptions(),
		func([]rapport.Event) error { return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want it to wrap %v", err, boom)
	}
}

func TestOrdersProgress(t *testing.T) {
	opts := testOptions()
	var last int64
	opts.Progress = func(n int64) {
		if n < last {
			t.Errorf("progress went back from %d to %d", last, n)
		}
		last = n
	}
	rep, _ := runFile(t, Orders, "testdata/orders.csv", opts)
	if last == 0 || last != rep.Bytes {
		t.Errorf("last progress = %d, report bytes = %d", last, rep.Bytes)
	}
}

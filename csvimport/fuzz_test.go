package csvimport

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/rapportdev/rapport"
)

// addFixtures seeds a fuzz target with the test fixtures, besides the
// corpus kept in testdata/fuzz.
func addFixtures(f *testing.F, paths ...string) {
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// checkAccounting imports data with fn and checks that nothing is lost:
// every row is accepted into exactly one event or reported.
func checkAccounting(t *testing.T, fn importer, data []byte) {
	opts := testOptions()
	opts.BatchSize = 3
	lines := 0
	var events []rapport.Event
	rep, err := fn(context.Background(), bytes.NewReader(data), opts, func(b []rapport.Event) error {
		events = append(events, b...)
		return nil
	})
	if err != nil {
		if rep != nil || len(events) > 0 {
			t.Fatalf("failed import (%v) returned a report or events", err)
		}
		return
	}
	for i := range events {
		if err := events[i].Validate(); err != nil {
			t.Fatalf("event %d invalid: %v", i, err)
		}
		lines += events[i].Context["import"].(map[string]any)["lines"].(int)
	}
	if rep.Rows != rep.Accepted+rep.Rejected || rep.Rejected != len(rep.Errors) || lines != rep.Accepted {
		t.Fatalf("rows %d, accepted %d, rejected %d, errors %d, lines in events %d: do not add up",
			rep.Rows, rep.Accepted, rep.Rejected, len(rep.Errors), lines)
	}
	if rep.Events != len(events) || rep.Events != rep.Orders+rep.Refunds+rep.Customers {
		t.Fatalf("events %d emitted %d, by kind %d+%d+%d", rep.Events, len(events), rep.Customers, rep.Orders, rep.Refunds)
	}
}

func FuzzOrders(f *testing.F) {
	addFixtures(f, "testdata/orders.csv")
	f.Fuzz(func(t *testing.T, data []byte) { checkAccounting(t, Orders, data) })
}

func FuzzCustomers(f *testing.F) {
	addFixtures(f, "testdata/customers.csv", "testdata/bank.csv")
	f.Fuzz(func(t *testing.T, data []byte) { checkAccounting(t, Customers, data) })
}

func FuzzMappingFile(f *testing.F) {
	addFixtures(f, "testdata/mapping.txt", "testdata/mapping.yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, parse := range []func([]byte) (Mapping, error){parseLineMapping, parseYAMLMapping} {
			m, err := parse(data)
			if err != nil {
				continue
			}
			for field, column := range m {
				if !validField(field) || column == "" {
					t.Fatalf("accepted %q=%q", field, column)
				}
			}
		}
	})
}

// FuzzProducts checks that a product import never panics on outside
// input, accounts for every row, and puts only valid products, each once
// per batch.
func FuzzProducts(f *testing.F) {
	addFixtures(f, "testdata/products.csv", "testdata/orders.csv")
	f.Fuzz(func(t *testing.T, data []byte) {
		opts := testOptions()
		opts.BatchSize = 3
		s := newStore(t, opts.BatchSize)
		rep, err := Products(context.Background(), bytes.NewReader(data), opts, s.put)
		if err != nil {
			if rep != nil || s.batches > 0 {
				t.Fatalf("failed import (%v) returned a report or put products", err)
			}
			return
		}
		if rep.Rows != rep.Accepted+rep.Rejected || rep.Rejected != len(rep.Errors) {
			t.Fatalf("rows %d, accepted %d, rejected %d, errors %d: do not add up",
				rep.Rows, rep.Accepted, rep.Rejected, len(rep.Errors))
		}
		if rep.Products != len(s.products) || rep.Products > rep.Accepted || rep.Events != 0 {
			t.Fatalf("report counts %d products from %d rows, %d stored, %d events", rep.Products, rep.Accepted, len(s.products), rep.Events)
		}
	})
}

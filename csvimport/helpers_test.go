package csvimport

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// testNow is the fixed clock of every test import.
var testNow = time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)

func testOptions() Options {
	return Options{Source: "test.csv", Clock: rapport.ClockFunc(func() time.Time { return testNow }), BatchSize: 2}
}

// importer is Customers or Orders.
type importer func(context.Context, io.Reader, Options, func([]rapport.Event) error) (*Report, error)

// runFile imports the fixture with fn, collecting the events emitted.
func runFile(t *testing.T, fn importer, path string, opts Options) (*Report, []rapport.Event) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var events []rapport.Event
	rep, err := fn(context.Background(), f, opts, func(b []rapport.Event) error {
		if len(b) > opts.BatchSize {
			t.Errorf("batch of %d events, want at most %d", len(b), opts.BatchSize)
		}
		events = append(events, b...)
		return nil
	})
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	if rep.Events != len(events) {
		t.Errorf("report counts %d events, emit saw %d", rep.Events, len(events))
	}
	if rep.Rows != rep.Accepted+rep.Rejected || rep.Rejected != len(rep.Errors) {
		t.Errorf("report does not add up: %+v", rep)
	}
	return rep, events
}

// golden compares v, as indented JSON, with testdata/name, rewriting the
// file under -update.
func golden(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	var g, w any
	_ = json.Unmarshal(got, &g)
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s differs; got:\n%s", path, got)
	}
}

// validate checks every event passes the domain's validation.
func validate(t *testing.T, events []rapport.Event) {
	t.Helper()
	for i := range events {
		if err := events[i].Validate(); err != nil {
			t.Errorf("event %d (%s): %v", i, events[i].MessageID, err)
		}
	}
}

package predict

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzReadCSV checks that no input panics ReadCSV and that every input is
// either read whole (every column holds one value per row, rows come from
// increasing lines inside the input, kinds match the values) or refused with
// an error that says where.
func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("age;job;y\n30;\"admin.\";yes\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ReadCSV(bytes.NewReader(data), CSVOptions{})
		if err != nil {
			msg := err.Error()
			if !strings.Contains(msg, "line") && !strings.Contains(msg, "header") && !strings.Contains(msg, "empty input") {
				t.Fatalf("error %q says neither line nor header", msg)
			}
			return
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		for k, l := range d.Lines {
			if l < 2 || l > lines || (k > 0 && l <= d.Lines[k-1]) {
				t.Fatalf("row %d from line %d (input has %d lines, previous row from %v)", k, l, lines, d.Lines[:k])
			}
		}
		for _, c := range d.Columns {
			if len(c.Values) != d.Len() {
				t.Fatalf("column %q holds %d values for %d rows", c.Name, len(c.Values), d.Len())
			}
			checkKind(t, c)
		}
	})
}

// checkKind fails when a numeric column holds a value that is neither
// missing nor a finite number.
func checkKind(t *testing.T, c *Column) {
	t.Helper()
	if c.Kind != Numeric {
		return
	}
	for _, v := range c.Values {
		if _, ok := parseNumber(v); !ok && !IsMissing(v) {
			t.Fatalf("numeric column %q holds %q", c.Name, v)
		}
	}
}

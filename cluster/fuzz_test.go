package cluster

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

// FuzzReadCSV checks that no input panics ReadCSV, and that every input is
// either read whole (a value per kept column per row, all finite) or
// refused with an error that says where.
func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("a,b\n1,2\n3,4\n"), "")
	f.Add([]byte("a;b\n1;2\n"), "b")
	f.Add([]byte("\"a\",b\n\"1\",x\n"), "a")
	f.Add([]byte("a\n1e999\n"), "a")
	f.Fuzz(func(t *testing.T, data []byte, column string) {
		var columns []string
		if column != "" {
			columns = []string{column}
		}
		tab, err := ReadCSV(bytes.NewReader(data), columns)
		if err != nil {
			msg := err.Error()
			if !strings.Contains(msg, "line") && !strings.Contains(msg, "header") &&
				!strings.Contains(msg, "empty input") && !strings.Contains(msg, "no rows") {
				t.Fatalf("error %q says neither line nor header", msg)
			}
			return
		}
		if tab.X.Rows < 1 || tab.X.Cols != len(tab.Names) || len(tab.X.Data) != tab.X.Rows*tab.X.Cols {
			t.Fatalf("%d names, shape %d × %d, %d values", len(tab.Names), tab.X.Rows, tab.X.Cols, len(tab.X.Data))
		}
		for _, v := range tab.X.Data {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("value %v read", v)
			}
		}
	})
}

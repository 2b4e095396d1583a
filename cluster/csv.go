package cluster

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/rapportdev/rapport/csvsniff"
)

// Table is a numeric table read by ReadCSV: the names of the columns kept
// and their values.
type Table struct {
	Names []string
	X     Matrix
}

// ReadCSV reads a table of numbers with a header line, separated by ',' or
// ';' (whichever the header holds more of), keeping the named columns in the
// order given, or every column when columns is empty. Every kept value must
// be a finite number: k-means has no use for a gap. Errors name the line and
// column.
func ReadCSV(r io.Reader, columns []string) (*Table, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	csvsniff.SkipBOM(br)
	cr := csv.NewReader(br)
	cr.Comma = csvsniff.Delimiter(br)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("read csv: empty input, want a header line")
	}
	if err != nil {
		return nil, fmt.Errorf("read csv header: %w", err)
	}
	keep, err := pickColumns(header, columns)
	if err != nil {
		return nil, fmt.Errorf("read csv header: %w", err)
	}
	t := &Table{Names: make([]string, len(keep))}
	for i, c := range keep {
		t.Names[i] = strings.TrimSpace(header[c])
	}
	if err := readRows(cr, keep, t); err != nil {
		return nil, err
	}
	return t, nil
}

// pickColumns maps the wanted column names to their header positions.
func pickColumns(header, columns []string) ([]int, error) {
	at := make(map[string]int, len(header))
	for i, h := range header {
		name := strings.TrimSpace(h)
		if name == "" {
			return nil, fmt.Errorf("column %d has no name", i+1)
		}
		if _, dup := at[name]; dup {
			return nil, fmt.Errorf("column %q appears twice", name)
		}
		at[name] = i
	}
	if len(columns) == 0 {
		keep := make([]int, len(header))
		for i := range keep {
			keep[i] = i
		}
		return keep, nil
	}
	keep := make([]int, len(columns))
	seen := map[string]bool{}
	for i, name := range columns {
		c, ok := at[name]
		if !ok {
			return nil, fmt.Errorf("no column %q (have %s)", name, strings.Join(header, ", "))
		}
		if seen[name] {
			return nil, fmt.Errorf("column %q asked for twice", name)
		}
		seen[name] = true
		keep[i] = c
	}
	return keep, nil
}

// readRows reads every record's kept values into t.X. Values go into
// blocks of fixed size, joined once at the end: growing one slice by append
// copies the whole table again at every growth, which was a fifth of the
// time of reading a million rows.
func readRows(cr *csv.Reader, keep []int, t *Table) error {
	const blockLen = 1 << 16
	var blocks [][]float64
	block := make([]float64, 0, blockLen)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("read csv: %w", err) // csv.ParseError names the line
		}
		line, _ := cr.FieldPos(0)
		for i, c := range keep {
			v, err := parseValue(rec[c])
			if err != nil {
				return fmt.Errorf("read csv line %d column %q: %w", line, t.Names[i], err)
			}
			if len(block) == blockLen {
				blocks = append(blocks, block)
				block = make([]float64, 0, blockLen)
			}
			block = append(block, v)
		}
		t.X.Rows++
	}
	if t.X.Rows == 0 {
		return errors.New("read csv: a header but no rows")
	}
	t.X.Cols = len(keep)
	t.X.Data = make([]float64, 0, t.X.Rows*t.X.Cols)
	for _, b := range append(blocks, block) {
		t.X.Data = append(t.X.Data, b...)
	}
	return nil
}

// parseValue reads one value as a finite number.
func parseValue(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("missing value")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a finite number", s)
	}
	return v, nil
}

package predict

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

// Kind says how a column is turned into features.
type Kind int

// The kinds of column.
const (
	// Numeric columns hold numbers (or missing values) on every row.
	Numeric Kind = iota
	// Categorical columns hold labels; "unknown" is a label like any other.
	Categorical
)

// String names the kind as it appears in stored models.
func (k Kind) String() string {
	if k == Numeric {
		return "numeric"
	}
	return "categorical"
}

// Column is one column of a Dataset: its header name, detected kind and the
// values of every row as read (surrounding spaces trimmed).
type Column struct {
	Name   string
	Kind   Kind
	Values []string
}

// Dataset is a table read from CSV, column by column.
type Dataset struct {
	Columns []*Column
	// Lines holds, for each row, the line of the input it starts on, so
	// later errors can name it.
	Lines []int
}

// CSVOptions tunes ReadCSV.
type CSVOptions struct {
	// Delimiter separates fields; zero detects ',' or ';' from the header.
	Delimiter rune
}

// ReadCSV reads a table with a header line. Column kinds are detected: a
// column is Numeric when every non-missing value parses as a finite number,
// else Categorical. Errors name the line (and column, where known).
func ReadCSV(r io.Reader, opts CSVOptions) (*Dataset, error) {
	br := bufio.NewReader(r)
	csvsniff.SkipBOM(br)
	if opts.Delimiter == 0 {
		opts.Delimiter = csvsniff.Delimiter(br)
	}
	cr := csv.NewReader(br)
	cr.Comma = opts.Delimiter
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("read csv: empty input, want a header line")
	}
	if err != nil {
		return nil, fmt.Errorf("read csv header: %w", err)
	}
	d, err := newDataset(header)
	if err != nil {
		return nil, err
	}
	if err := d.readRows(cr); err != nil {
		return nil, err
	}
	d.detectKinds()
	return d, nil
}

// newDataset makes the empty columns named by header.
func newDataset(header []string) (*Dataset, error) {
	d := &Dataset{}
	seen := map[string]int{}
	for i, h := range header {
		name := strings.TrimSpace(h)
		if name == "" {
			return nil, fmt.Errorf("read csv header: column %d has no name", i+1)
		}
		if j, ok := seen[name]; ok {
			return nil, fmt.Errorf("read csv header: columns %d and %d are both named %q", j+1, i+1, name)
		}
		seen[name] = i
		d.Columns = append(d.Columns, &Column{Name: name})
	}
	return d, nil
}

// readRows appends every record; csv.Reader checks the field count against
// the header.
func (d *Dataset) readRows(cr *csv.Reader) error {
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
				return fmt.Errorf("read csv line %d: %d fields, want %d as in the header", pe.StartLine, len(rec), len(d.Columns))
			}
			return fmt.Errorf("read csv: %w", err)
		}
		line, _ := cr.FieldPos(0)
		d.Lines = append(d.Lines, line)
		for i, v := range rec {
			d.Columns[i].Values = append(d.Columns[i].Values, strings.TrimSpace(v))
		}
	}
}

// detectKinds marks a column Numeric when every present value is a finite
// number.
func (d *Dataset) detectKinds() {
	for _, c := range d.Columns {
		c.Kind = Numeric
		for _, v := range c.Values {
			if IsMissing(v) {
				continue
			}
			if _, ok := parseNumber(v); !ok {
				c.Kind = Categorical
				break
			}
		}
	}
}

// IsMissing reports whether a value counts as missing: empty, "NA" or "?".
// "unknown" is not missing: it is kept as a category of its own.
func IsMissing(v string) bool {
	return v == "" || v == "NA" || v == "?"
}

// parseNumber parses a finite number.
func parseNumber(v string) (float64, bool) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// Len is the number of rows.
func (d *Dataset) Len() int { return len(d.Lines) }

// Column returns the column named name, or nil.
func (d *Dataset) Column(name string) *Column {
	for _, c := range d.Columns {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Subset returns the rows at idx, in that order, as a new Dataset with the
// same columns and kinds.
func (d *Dataset) Subset(idx []int) *Dataset {
	s := &Dataset{Lines: make([]int, len(idx))}
	for k, i := range idx {
		s.Lines[k] = d.Lines[i]
	}
	for _, c := range d.Columns {
		vals := make([]string, len(idx))
		for k, i := range idx {
			vals[k] = c.Values[i]
		}
		s.Columns = append(s.Columns, &Column{Name: c.Name, Kind: c.Kind, Values: vals})
	}
	return s
}

// Without returns the dataset without the named columns (sharing values).
// Naming a column that is not there is an error.
func (d *Dataset) Without(names ...string) (*Dataset, error) {
	drop := map[string]bool{}
	for _, n := range names {
		if d.Column(n) == nil {
			return nil, fmt.Errorf("no column %q", n)
		}
		drop[n] = true
	}
	s := &Dataset{Lines: d.Lines}
	for _, c := range d.Columns {
		if !drop[c.Name] {
			s.Columns = append(s.Columns, c)
		}
	}
	return s, nil
}

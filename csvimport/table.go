package csvimport

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// table reads a CSV file one data row at a time, after its header.
type table struct {
	cr     *csv.Reader
	count  *countingReader
	header []string
	cols   columns
	// traits are the trait.* fields with a column, and their names.
	traits [][2]string
}

// openTable reads the header and resolves the mapping against it.
func openTable(r io.Reader, opts Options) (*table, error) {
	count := &countingReader{r: r, progress: opts.Progress}
	cr := csv.NewReader(bufio.NewReaderSize(count, 64<<10))
	cr.Comma = opts.Delimiter
	// Column counts are checked row by row, so that one bad row is
	// reported and the rest of the file still imported.
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("empty file: no header")
	} else if err != nil {
		return nil, fmt.Errorf("read header: %w", err)
	}
	header = cleanHeader(header)
	cols, err := resolve(opts.Mapping, header)
	if err != nil {
		return nil, err
	}
	return &table{cr: cr, count: count, header: header, cols: cols, traits: cols.traits()}, nil
}

// cleanHeader copies the header (the reader reuses its slice), trimming
// spaces and a UTF-8 byte order mark left by spreadsheet exports.
func cleanHeader(rec []string) []string {
	h := make([]string, len(rec))
	for i, s := range rec {
		h[i] = strings.TrimSpace(s)
	}
	if len(h) > 0 {
		h[0] = strings.TrimSpace(strings.TrimPrefix(h[0], "\ufeff"))
	}
	return h
}

// next returns the next well-formed data row and its line. A malformed row
// (bad quoting, wrong column count) is counted and rejected in rep and
// skipped. It returns io.EOF at the end of the file, and any read error
// that is not a malformed row.
func (t *table) next(rep *Report) ([]string, int, error) {
	for {
		rec, err := t.cr.Read()
		var pe *csv.ParseError
		switch {
		case errors.Is(err, io.EOF):
			return nil, 0, io.EOF
		case errors.As(err, &pe):
			rep.Rows++
			rep.reject(pe.StartLine, "%s", parseReason(pe))
			continue
		case err != nil:
			return nil, 0, err
		}
		rep.Rows++
		line, _ := t.cr.FieldPos(0)
		if len(rec) != len(t.header) {
			rep.reject(line, "wrong column count: got %d, want %d", len(rec), len(t.header))
			continue
		}
		return rec, line, nil
	}
}

// parseReason describes a CSV syntax error, naming the lines it swallowed
// when an open quote ran on.
func parseReason(pe *csv.ParseError) string {
	if pe.Line > pe.StartLine {
		return fmt.Sprintf("bad CSV in lines %d-%d: %v", pe.StartLine, pe.Line, pe.Err)
	}
	return fmt.Sprintf("bad CSV: %v", pe.Err)
}

// get returns the trimmed cell of field, or "" when the field has no
// column.
func (t *table) get(rec []string, field string) string {
	i, ok := t.cols[field]
	if !ok {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

// countingReader counts the bytes read through it and reports them.
type countingReader struct {
	r        io.Reader
	n        int64
	progress func(int64)
}

// Read implements io.Reader.
func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.progress != nil && n > 0 {
		c.progress(c.n)
	}
	return n, err
}

package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// writeCSV writes a header and rows as CSV.
func writeCSV(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// text is a value a person typed or a store holds (a name, an id, a
// label), kept from being read as a formula by a spreadsheet: one that
// starts with = + - @ or a tab or carriage return gets a leading quote.
// Numbers the reports compute are written as numbers and need no quote.
func text(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// num writes a number in its shortest exact form.
func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// optNum writes an optional number, empty when absent.
func optNum(v *float64) string {
	if v == nil {
		return ""
	}
	return num(*v)
}

// integer writes an integer.
func integer[T int | int64](v T) string { return strconv.FormatInt(int64(v), 10) }

// boolean writes true or false.
func boolean(v bool) string { return strconv.FormatBool(v) }

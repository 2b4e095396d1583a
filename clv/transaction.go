package clv

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Transaction is one customer's purchases on one day.
type Transaction struct {
	CustomerID string    `json:"customer_id"`
	Date       time.Time `json:"date"` // midnight UTC
	Amount     float64   `json:"amount"`
}

// The columns ReadTransactions needs, by header name.
const (
	colCustomer = "customer_id"
	colDate     = "date"
	colAmount   = "amount"
)

// ReadTransactions reads a CSV with a header naming the columns customer_id,
// date (YYYY-MM-DD or YYYYMMDD) and amount (a number, not negative); other
// columns are ignored and header names are matched without regard to case or
// surrounding spaces. A customer's purchases on one day are merged into one
// Transaction, amounts summed: the models count purchase days, as the CDNOW
// fits do. The result is ordered by customer, in order of first appearance,
// then by date. Errors name the line and column.
func ReadTransactions(r io.Reader) ([]Transaction, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("read transactions: empty input, want a header line")
	}
	if err != nil {
		return nil, fmt.Errorf("read transactions header: %w", err)
	}
	cols, err := findColumns(header)
	if err != nil {
		return nil, err
	}
	m := newMerger()
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read transactions: %w", err)
		}
		if err := m.add(cr, rec, cols); err != nil {
			return nil, err
		}
	}
	return m.transactions(), nil
}

// columns holds the indexes of the needed columns in a record.
type columns struct{ customer, date, amount int }

// findColumns locates the needed columns in the header.
func findColumns(header []string) (columns, error) {
	idx := map[string]int{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		if _, dup := idx[name]; dup && name != "" {
			return columns{}, fmt.Errorf("read transactions header: column %q appears twice", name)
		}
		idx[name] = i
	}
	var missing []string
	for _, name := range []string{colCustomer, colDate, colAmount} {
		if _, ok := idx[name]; !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return columns{}, fmt.Errorf("read transactions header: missing column %s (want %s, %s, %s)",
			strings.Join(missing, ", "), colCustomer, colDate, colAmount)
	}
	return columns{idx[colCustomer], idx[colDate], idx[colAmount]}, nil
}

// customerDay identifies the merged transaction of a customer on a day.
type customerDay struct {
	customer int // order of first appearance
	day      int64
}

// merger collects records, merging a customer's purchases on one day.
type merger struct {
	customers map[string]int
	index     map[customerDay]int
	keys      []customerDay
	txs       []Transaction
}

func newMerger() *merger {
	return &merger{customers: map[string]int{}, index: map[customerDay]int{}}
}

// add parses one record and merges it in.
func (m *merger) add(cr *csv.Reader, rec []string, cols columns) error {
	fail := func(col int, name string, err error) error {
		line, _ := cr.FieldPos(col)
		return fmt.Errorf("read transactions line %d column %s: %w", line, name, err)
	}
	id := strings.TrimSpace(rec[cols.customer])
	if id == "" {
		return fail(cols.customer, colCustomer, errors.New("empty customer id"))
	}
	date, err := ParseDate(strings.TrimSpace(rec[cols.date]))
	if err != nil {
		return fail(cols.date, colDate, err)
	}
	amount, err := parseAmount(strings.TrimSpace(rec[cols.amount]))
	if err != nil {
		return fail(cols.amount, colAmount, err)
	}
	if sum := m.merge(id, date, amount); math.IsInf(sum, 0) {
		return fail(cols.amount, colAmount, errors.New("the customer's amounts on this day add up to more than a float64 holds"))
	}
	return nil
}

// merge adds one purchase, summing it into the customer's purchase on the
// same day if there is one, and returns that day's amount.
func (m *merger) merge(id string, date time.Time, amount float64) float64 {
	c, ok := m.customers[id]
	if !ok {
		c = len(m.customers)
		m.customers[id] = c
	}
	key := customerDay{c, date.Unix() / 86400}
	if i, ok := m.index[key]; ok {
		m.txs[i].Amount += amount
		return m.txs[i].Amount
	}
	m.index[key] = len(m.txs)
	m.keys = append(m.keys, key)
	m.txs = append(m.txs, Transaction{CustomerID: id, Date: date, Amount: amount})
	return amount
}

// transactions returns the merged transactions by customer, then date.
func (m *merger) transactions() []Transaction {
	order := make([]int, len(m.txs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int {
		a, b := m.keys[i], m.keys[j]
		return cmp.Or(cmp.Compare(a.customer, b.customer), cmp.Compare(a.day, b.day))
	})
	out := make([]Transaction, len(order))
	for k, i := range order {
		out[k] = m.txs[i]
	}
	return out
}

// parseAmount reads a finite, non-negative number. Negative amounts
// (refunds) are refused: Gamma-Gamma models positive spend.
func parseAmount(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("amount %q is not a number", s)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("amount %q is not finite", s)
	}
	if v < 0 {
		return 0, fmt.Errorf("amount %q is negative", s)
	}
	return v, nil
}

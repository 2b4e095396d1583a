package csvimport

import "fmt"

// RowError is a rejected data row: its line in the file (of the row's
// first line, for a quoted field spanning lines) and why.
type RowError struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// Error implements the error interface.
func (e RowError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Reason) }

// Report counts what an import did. Rows = Accepted + Rejected: every data
// row is either part of an event (of a product, for a product import) or
// listed in Errors.
type Report struct {
	// Rows counts the data rows read (the header excluded).
	Rows int `json:"rows"`
	// Accepted counts the rows that went into an event.
	Accepted int `json:"accepted"`
	// Rejected counts the rows that did not; Errors says why, one entry
	// per row, in file order.
	Rejected int        `json:"rejected"`
	Errors   []RowError `json:"errors,omitempty"`
	// Events counts the events handed to emit.
	Events int `json:"events"`
	// Customers, Orders and Refunds count the events by kind.
	Customers int `json:"customers,omitempty"`
	Orders    int `json:"orders,omitempty"`
	Refunds   int `json:"refunds,omitempty"`
	// Products counts the distinct products a product import stored;
	// several rows may describe one product.
	Products int `json:"products,omitempty"`
	// Bytes counts the bytes read from the input.
	Bytes int64 `json:"bytes"`
	// products marks the report of a product import, which makes no
	// events.
	products bool
}

// reject records a rejected row.
func (r *Report) reject(line int, format string, args ...any) {
	r.Rejected++
	r.Errors = append(r.Errors, RowError{Line: line, Reason: fmt.Sprintf(format, args...)})
}

// String summarises the report in one line.
func (r *Report) String() string {
	if r.products {
		return fmt.Sprintf("%d rows: %d accepted, %d rejected; %d products", r.Rows, r.Accepted, r.Rejected, r.Products)
	}
	return fmt.Sprintf("%d rows: %d accepted, %d rejected; %d events (%d customers, %d orders, %d refunds)",
		r.Rows, r.Accepted, r.Rejected, r.Events, r.Customers, r.Orders, r.Refunds)
}

package csvimport

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/rapportdev/rapport"
)

// Orders imports an order history: one track event per order, named
// "Order Completed", with the Segment e-commerce properties order_id,
// revenue, currency, channel and products. A file may hold one line per
// order or one line per product (as the UCI Online Retail file does); lines
// are grouped by order id wherever they are in the file, unless
// opts.Grouped says they are adjacent.
//
// Revenue is the revenue column when mapped, else Σ price × quantity over
// the order's lines (quantity 1 when absent). An order whose revenue is
// negative is a refund (Online Retail's "C" invoices are cancellations with
// negative quantities): its event is "Order Refunded", with the signed
// revenue, so that summing revenue over imported events gives net sales,
// and Segment's positive total.
//
// The message id hashes the source and the order id, so importing the same
// file twice adds nothing. The order's customer, time, currency and channel
// come from its first line; a later line naming another customer is
// rejected.
func Orders(ctx context.Context, r io.Reader, opts Options, emit func([]rapport.Event) error) (*Report, error) {
	opts = opts.withDefaults()
	t, err := openTable(r, opts)
	if err != nil {
		return nil, fmt.Errorf("import orders: %w", err)
	}
	if err := requireOrderColumns(t); err != nil {
		return nil, fmt.Errorf("import orders: %w", err)
	}
	rep := &Report{}
	g := newGrouper(opts, newBatcher(opts.BatchSize, emit, rep), rep)
	for {
		if err := checkContext(ctx, rep); err != nil {
			return rep, err
		}
		rec, line, err := t.next(rep)
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return rep, fmt.Errorf("import orders line %d: %w", line, err)
		}
		item, reason := readOrderLine(t, rec, line, opts)
		if reason != "" {
			rep.reject(line, "%s", reason)
			continue
		}
		if err := g.add(item); err != nil {
			return rep, fmt.Errorf("import orders line %d: %w", line, err)
		}
	}
	if err := g.flushAll(); err != nil {
		return rep, fmt.Errorf("import orders: %w", err)
	}
	return finish(t, rep, g.out, opts, "import orders")
}

// requireOrderColumns fails fast on a header that cannot make orders.
func requireOrderColumns(t *table) error {
	for _, need := range [][]string{
		{"order_id"},
		{"timestamp"},
		{"user_id", "anonymous_id", "email", "phone"},
		{"revenue", "price"},
	} {
		if err := t.cols.require(t.header, need...); err != nil {
			return err
		}
	}
	return nil
}

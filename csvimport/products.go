package csvimport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/rapportdev/rapport"
)

// Products imports a product catalogue: the columns product_id and sku
// (one of them is needed; product_id is normalised as the orders importer
// does, so "17850.0" and "17850" are one product), the product's name
// (product_name, else name), category, brand, price and cost. An empty
// cell means unknown: it sets nothing, so a file without costs never
// blanks out the costs another gave.
//
// A product on several rows (the UCI Online Retail file has one row per
// order line) is one product: each row updates it in file order, so the
// last known value of each field wins. Rows are folded in memory first
// (see foldWindow); put receives at most Options.BatchSize distinct
// products at a time, in order, and may keep the slice.
//
// Products are not events: they go to the catalogue, which the processor
// reads when an order line lacks a cost, category or brand. Import the
// catalogue before the orders whose margins it gives.
func Products(ctx context.Context, r io.Reader, opts Options, put func([]rapport.ProductInfo) error) (*Report, error) {
	opts = opts.withDefaults()
	t, err := openTable(r, opts)
	if err != nil {
		return nil, fmt.Errorf("import products: %w", err)
	}
	if err := t.cols.require(t.header, "product_id", "sku"); err != nil {
		return nil, fmt.Errorf("import products: %w", err)
	}
	rep := &Report{products: true}
	out := newCatalogue(opts.BatchSize, put, rep)
	now := opts.Clock.Now().UTC()
	for {
		if err := checkContext(ctx, rep); err != nil {
			return rep, err
		}
		rec, line, err := t.next(rep)
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return rep, fmt.Errorf("import products line %d: %w", line, err)
		}
		p, reason := readProduct(t, rec, now)
		if reason != "" {
			rep.reject(line, "%s", reason)
			continue
		}
		rep.Accepted++
		if err := out.add(p); err != nil {
			return rep, fmt.Errorf("import products line %d: %w", line, err)
		}
	}
	if err := out.flush(); err != nil {
		return rep, fmt.Errorf("import products: %w", err)
	}
	rep.Bytes = t.count.n
	if opts.Progress != nil {
		opts.Progress(rep.Bytes)
	}
	return rep, nil
}

// readProduct reads one row, or returns the reason to reject it, naming
// the column at fault.
func readProduct(t *table, rec []string, now time.Time) (rapport.ProductInfo, string) {
	p := rapport.ProductInfo{
		ID:        normalizeID(t.get(rec, "product_id")),
		SKU:       t.get(rec, "sku"),
		Name:      orDefault(t.get(rec, "product_name"), t.get(rec, "name")),
		Category:  t.get(rec, "category"),
		Brand:     t.get(rec, "brand"),
		UpdatedAt: now,
	}
	if p.Key() == "" {
		return p, "missing product id and SKU"
	}
	for _, f := range []struct {
		field string
		value string
	}{{"product_id", p.ID}, {"sku", p.SKU}} {
		if !rapport.ProductKeyOK(f.value) {
			return p, t.cellReason(f.field, fmt.Sprintf("longer than %d bytes, or not UTF-8 text", rapport.MaxProductKey))
		}
	}
	var reason string
	if p.Price, reason = t.amount(rec, "price"); reason != "" {
		return p, reason
	}
	if p.Cost, reason = t.amount(rec, "cost"); reason != "" {
		return p, reason
	}
	return p, ""
}

// amount reads a cell holding a non-negative amount, 0 when empty.
func (t *table) amount(rec []string, field string) (float64, string) {
	s := t.get(rec, field)
	if s == "" {
		return 0, ""
	}
	f, err := parseNumber(s)
	if err != nil {
		return 0, t.cellReason(field, err.Error())
	}
	if f < 0 {
		return 0, t.cellReason(field, fmt.Sprintf("negative amount %q", s))
	}
	return f, ""
}

// cellReason names the field and its column (1-based, with its header)
// in a reason to reject a row, so the cell at fault can be found.
func (t *table) cellReason(field, msg string) string {
	i := t.cols[field]
	return fmt.Sprintf("%s (column %d, %q): %s", field, i+1, t.header[i], msg)
}

// foldWindow is how many batches of distinct products a product import
// folds in memory before it puts them: rows of one product are usually
// many (one per order line, in the Online Retail file) and a put costs a
// write per product, so folding first writes each product about once,
// while a huge catalogue still holds a bounded part in memory.
const foldWindow = 64

// catalogue gathers the products of a file, one per key, and hands them
// to put in batches of distinct products.
type catalogue struct {
	size    int
	put     func([]rapport.ProductInfo) error
	rep     *Report
	pending map[string]int // key → index in buf
	buf     []rapport.ProductInfo
	seen    map[string]bool
}

func newCatalogue(size int, put func([]rapport.ProductInfo) error, rep *Report) *catalogue {
	return &catalogue{size: size, put: put, rep: rep, pending: map[string]int{}, seen: map[string]bool{}}
}

// add updates the pending product of p's key with p, or queues p,
// putting the pending products when foldWindow batches are pending.
func (c *catalogue) add(p rapport.ProductInfo) error {
	key := p.Key()
	if i, ok := c.pending[key]; ok {
		c.buf[i] = c.buf[i].Update(p)
		return nil
	}
	c.pending[key] = len(c.buf)
	c.buf = append(c.buf, p)
	if !c.seen[key] {
		c.seen[key] = true
		c.rep.Products++
	}
	if len(c.buf) >= foldWindow*c.size {
		return c.flush()
	}
	return nil
}

// flush hands the pending products to put, a batch at a time, in the
// order of their first rows. put may keep each batch: buf is not reused.
func (c *catalogue) flush() error {
	for lo := 0; lo < len(c.buf); lo += c.size {
		if err := c.put(c.buf[lo:min(lo+c.size, len(c.buf)):min(lo+c.size, len(c.buf))]); err != nil {
			return err
		}
	}
	c.buf = nil
	clear(c.pending)
	return nil
}

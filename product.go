package rapport

import (
	"context"
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// ProductInfo is a product of the catalogue, as `rapport import products`
// loads it: what an order line that names the product by id or SKU lacks
// (its cost above all, so that orders get a margin; its category and
// brand, so that shops sending product ids alone get category mixes).
// It is not Product, which is one line of one order.
type ProductInfo struct {
	// ID is the product id order lines send as product_id; SKU the one
	// they send as sku. A product has at least one of them.
	ID       string `json:"id,omitempty"`
	SKU      string `json:"sku,omitempty"`
	Name     string `json:"name,omitempty"`
	Category string `json:"category,omitempty"`
	Brand    string `json:"brand,omitempty"`
	// Price is the list price and Cost the unit cost of goods; zero means
	// unknown, as in an order line.
	Price     float64   `json:"price,omitempty"`
	Cost      float64   `json:"cost,omitempty"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// MaxProductKey bounds a product's id and SKU, in bytes: keys are indexed,
// and an index entry has a size limit (about 2.7 KB in PostgreSQL).
const MaxProductKey = 512

// Key is the product's key in the catalogue: its ID, else its SKU.
func (p ProductInfo) Key() string {
	if p.ID != "" {
		return p.ID
	}
	return p.SKU
}

// Validate returns an EINVALID error for a product a store must refuse: no
// id nor SKU, one that fails ProductKeyOK, or a price or cost that is
// negative or not a finite number.
func (p ProductInfo) Validate() error {
	switch {
	case p.Key() == "":
		return Errorf(EINVALID, "product needs an id or a SKU")
	case !ProductKeyOK(p.ID) || !ProductKeyOK(p.SKU):
		return Errorf(EINVALID, "product %q: id or SKU is not UTF-8 text without NUL", p.Key())
	case !amount(p.Price):
		return Errorf(EINVALID, "product %s: price %v is not a non-negative number", p.Key(), p.Price)
	case !amount(p.Cost):
		return Errorf(EINVALID, "product %s: cost %v is not a non-negative number", p.Key(), p.Cost)
	}
	return nil
}

// ProductKeyOK reports whether s may be a product's id or SKU (or is
// empty): at most MaxProductKey bytes of UTF-8 text without NUL, which
// every store keeps as given. A key that is not can find no product.
func ProductKeyOK(s string) bool {
	return len(s) <= MaxProductKey && utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

// amount reports whether f is a finite, non-negative amount of money.
func amount(f float64) bool { return f >= 0 && !math.IsInf(f, 0) }

// Update returns p with the fields q knows: q's non-empty text and
// non-zero amounts replace p's, and UpdatedAt is q's. Putting a product
// that is already stored updates it so: a file without a cost column never
// blanks out the costs another file gave.
func (p ProductInfo) Update(q ProductInfo) ProductInfo {
	for _, f := range []struct{ dst, src *string }{
		{&p.ID, &q.ID}, {&p.SKU, &q.SKU}, {&p.Name, &q.Name}, {&p.Category, &q.Category}, {&p.Brand, &q.Brand},
	} {
		if *f.src != "" {
			*f.dst = *f.src
		}
	}
	if q.Price != 0 {
		p.Price = q.Price
	}
	if q.Cost != 0 {
		p.Cost = q.Cost
	}
	p.UpdatedAt = q.UpdatedAt
	return p
}

// ProductStore keeps the product catalogue.
type ProductStore interface {
	// PutProducts adds products to the catalogue or updates those with the
	// same Key (see ProductInfo.Update), in one transaction; a product
	// that appears twice is updated in order. It returns EINVALID,
	// writing nothing, when a product fails Validate.
	PutProducts(ctx context.Context, products []ProductInfo) error
	// FindProducts returns the products found by the given keys, by key: a
	// key finds the product with that ID, else a product with that SKU
	// (the most recently updated when several share it). Keys that find
	// none are absent from the map. The processor looks up a batch's
	// products in one call.
	FindProducts(ctx context.Context, keys []string) (map[string]ProductInfo, error)
	// ListProducts returns up to limit products (50 when limit is zero or
	// less, at most 1000) with a Key greater than after, ordered by Key as
	// bytes: pass the last Key of a page to read the next.
	ListProducts(ctx context.Context, after string, limit int) ([]ProductInfo, error)
}

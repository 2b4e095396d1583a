package processor

import (
	"context"
	"fmt"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/profile"
)

// productTTL is how long the processor trusts what it read of the product
// catalogue, absences included: products imported by another process
// (`rapport import products` next to a running server) reach the orders
// applied at most this long after the import. Costs are read when an
// order applies and kept in its ledger line; a later import does not
// change orders already applied.
const productTTL = time.Minute

// productEntry is what the catalogue said of one key: the product, or
// that it has none.
type productEntry struct {
	info  rapport.ProductInfo
	found bool
}

// expireProducts forgets the catalogue read more than productTTL before
// now, or when it grew past the cache's bound.
func (c *cache) expireProducts(now time.Time) {
	if now.Sub(c.productsAt) > productTTL || len(c.products) > 4*c.max {
		c.products = map[string]productEntry{}
		c.productsAt = now
	}
}

// prefetchProducts asks the store, in one query, for every product the
// batch's orders may look up that the cache does not know.
func (v view) prefetchProducts(ctx context.Context, events []rapport.Event) error {
	var ask []string
	seen := map[string]bool{}
	for i := range events {
		for _, k := range profile.ProductKeys(&events[i]) {
			if _, cached := v.c.products[k]; !cached && !seen[k] {
				seen[k] = true
				ask = append(ask, k)
			}
		}
	}
	if len(ask) == 0 {
		return nil
	}
	found, err := v.store.FindProducts(ctx, ask)
	if err != nil {
		return fmt.Errorf("find %d products: %w", len(ask), err)
	}
	for _, k := range ask {
		info, ok := found[k]
		v.c.products[k] = productEntry{info: info, found: ok}
	}
	return nil
}

// Product implements profile.View: the cache, else the store.
func (v view) Product(ctx context.Context, key string) (rapport.ProductInfo, bool, error) {
	if e, ok := v.c.products[key]; ok {
		return e.info, e.found, nil
	}
	found, err := v.store.FindProducts(ctx, []string{key})
	if err != nil {
		return rapport.ProductInfo{}, false, err
	}
	info, ok := found[key]
	v.c.products[key] = productEntry{info: info, found: ok}
	return info, ok, nil
}

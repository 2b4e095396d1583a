package storecodec

import (
	"fmt"

	"github.com/rapportdev/rapport"
)

// CheckProducts refuses, with the EINVALID error of the first, products
// that fail Validate.
func CheckProducts(products []rapport.ProductInfo) error {
	for i := range products {
		if err := products[i].Validate(); err != nil {
			return fmt.Errorf("product %d of %d: %w", i+1, len(products), err)
		}
	}
	return nil
}

// ProductKeys returns the keys worth asking a store for, once each: the
// non-empty ones that pass rapport.ProductKeyOK (no stored product has
// another), so every backend binds the same values.
func ProductKeys(keys []string) []string {
	out := make([]string, 0, len(keys))
	seen := make(map[string]bool, len(keys))
	for _, k := range keys {
		if k != "" && !seen[k] && rapport.ProductKeyOK(k) {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// PickProducts answers FindProducts from the rows whose id or SKU is one
// of keys: per key, the product with that ID, else the most recently
// updated with that SKU (on a tie, the one of smallest Key), so both
// backends pick alike whatever order their rows come in.
func PickProducts(keys []string, rows []rapport.ProductInfo) map[string]rapport.ProductInfo {
	byID := make(map[string]rapport.ProductInfo, len(rows))
	bySKU := make(map[string]rapport.ProductInfo, len(rows))
	for _, p := range rows {
		if p.ID != "" {
			byID[p.ID] = p
		}
		if q, ok := bySKU[p.SKU]; p.SKU != "" && (!ok || newer(p, q)) {
			bySKU[p.SKU] = p
		}
	}
	out := make(map[string]rapport.ProductInfo, len(keys))
	for _, k := range keys {
		if p, ok := byID[k]; ok {
			out[k] = p
		} else if p, ok := bySKU[k]; ok {
			out[k] = p
		}
	}
	return out
}

// newer reports whether p wins over q for a SKU they share.
func newer(p, q rapport.ProductInfo) bool {
	if !p.UpdatedAt.Equal(q.UpdatedAt) {
		return p.UpdatedAt.After(q.UpdatedAt)
	}
	return p.Key() < q.Key()
}

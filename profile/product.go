package profile

import "github.com/rapportdev/rapport"

// parseProducts reads properties.products: an array of product objects,
// or a single object sent in its place. Elements that are not objects are
// ignored.
func parseProducts(v any) []rapport.Product {
	switch x := v.(type) {
	case []any:
		var out []rapport.Product
		for _, e := range x {
			if m, ok := e.(map[string]any); ok {
				out = append(out, parseProduct(m))
			}
		}
		return out
	case []map[string]any:
		out := make([]rapport.Product, 0, len(x))
		for _, m := range x {
			out = append(out, parseProduct(m))
		}
		return out
	case map[string]any:
		return []rapport.Product{parseProduct(x)}
	}
	return nil
}

// parseProduct reads one product line. Quantity defaults to 1; price and
// cost to 0 (unknown).
func parseProduct(m map[string]any) rapport.Product {
	pr := rapport.Product{
		ID:       text(m["product_id"]),
		SKU:      text(m["sku"]),
		Name:     text(m["name"]),
		Category: text(m["category"]),
		Brand:    text(m["brand"]),
		Quantity: 1,
	}
	pr.Price, _ = rapport.Number(m["price"])
	pr.Cost, _ = rapport.Number(m["cost"])
	if q, ok := rapport.Number(m["quantity"]); ok {
		pr.Quantity = q
	}
	return pr
}

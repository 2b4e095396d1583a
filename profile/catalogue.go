package profile

import (
	"context"
	"fmt"

	"github.com/rapportdev/rapport"
)

// lacks reports whether an order line lacks something the catalogue may
// know: its cost (zero is unknown), category or brand. Shops often send
// product ids alone; the catalogue gives their orders a margin and their
// category and brand mixes.
func lacks(pr rapport.Product) bool {
	return pr.Cost == 0 || pr.Category == "" || pr.Brand == ""
}

// ProductKeys returns the catalogue keys that applying ev may look up
// through View.Product: the product ids and SKUs of the lines of an Order
// Completed event that lack a cost, category or brand. The processor asks
// for a whole batch's keys in one query.
func ProductKeys(ev *rapport.Event) []string {
	if ev.Type != rapport.EventTrack || ev.Event != rapport.EventOrderCompleted {
		return nil
	}
	var keys []string
	for _, pr := range parseProducts(ev.Properties["products"]) {
		if !lacks(pr) {
			continue
		}
		for _, k := range []string{pr.ID, pr.SKU} {
			if k != "" {
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// fromCatalogue gives each order line the cost, category and brand it
// lacks and the catalogue knows. What the event says always wins.
func (b *Batch) fromCatalogue(ctx context.Context, products []rapport.Product) error {
	for i := range products {
		pr := &products[i]
		if !lacks(*pr) {
			continue
		}
		info, ok, err := b.product(ctx, pr)
		if err != nil {
			return err
		} else if !ok {
			continue
		}
		if pr.Cost == 0 {
			pr.Cost = info.Cost
		}
		if pr.Category == "" {
			pr.Category = info.Category
		}
		if pr.Brand == "" {
			pr.Brand = info.Brand
		}
	}
	return nil
}

// product looks the line's product up by its id, else its SKU.
func (b *Batch) product(ctx context.Context, pr *rapport.Product) (rapport.ProductInfo, bool, error) {
	for _, key := range []string{pr.ID, pr.SKU} {
		if key == "" {
			continue
		}
		info, ok, err := b.view.Product(ctx, key)
		if err != nil {
			return info, false, fmt.Errorf("find product %q: %w", key, err)
		}
		if ok {
			return info, true, nil
		}
	}
	return rapport.ProductInfo{}, false, nil
}

package processor_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/processor"
)

// countingStore counts the catalogue lookups the processor makes.
type countingStore struct {
	rapport.Store
	calls int
	keys  int
}

func (c *countingStore) FindProducts(ctx context.Context, keys []string) (map[string]rapport.ProductInfo, error) {
	c.calls++
	c.keys += len(keys)
	return c.Store.FindProducts(ctx, keys)
}

// sale is an Order Completed event whose lines name products and prices
// only, as many shops send them.
func sale(user, orderID string, minute int, lines ...map[string]any) rapport.Event {
	products := make([]any, len(lines))
	for i, l := range lines {
		products[i] = l
	}
	return rapport.Event{Type: rapport.EventTrack, Event: rapport.EventOrderCompleted, UserID: user, Timestamp: at(minute),
		Properties: map[string]any{"order_id": orderID, "products": products}}
}

func item(key, value string, price, quantity float64) map[string]any {
	return map[string]any{key: value, "price": price, "quantity": quantity}
}

func putCatalogue(t *testing.T, s rapport.ProductStore, products ...rapport.ProductInfo) {
	t.Helper()
	if err := s.PutProducts(context.Background(), products); err != nil {
		t.Fatalf("put products: %v", err)
	}
}

func TestOrderMarginFromCatalogue(t *testing.T) {
	l, s, _ := newStores(t)
	putCatalogue(t, s,
		rapport.ProductInfo{ID: "rose-12", Category: "flowers", Brand: "Fleur", Price: 42.5, Cost: 17},
		rapport.ProductInfo{SKU: "V1", Category: "vases", Cost: 8},
		rapport.ProductInfo{ID: "card", Category: "cards"})
	appendEvents(t, l,
		sale("ann", "o1", 0, item("product_id", "rose-12", 42.5, 2), item("sku", "V1", 20, 1)),
		sale("ann", "o2", 5, item("product_id", "card", 3, 1), item("product_id", "unknown", 5, 1)),
		sale("bob", "o3", 0, item("product_id", "rose-12", 40, 1)))
	cs := &countingStore{Store: s}
	catchUp(t, newProcessor(l, cs, processor.Options{}))
	if cs.calls != 1 || cs.keys != 4 {
		t.Errorf("catalogue lookups = %d calls for %d keys, want 1 call for the batch's 4 distinct keys", cs.calls, cs.keys)
	}
	a := user(t, s, "ann").Aggregates
	if a.Orders != 2 || a.Revenue != 113 || a.Cost != 42 || a.Margin != 63 {
		t.Errorf("ann's orders, revenue, cost, margin = %d, %v, %v, %v; want 2, 113, 42 (o1 only), 63 (o1 only)",
			a.Orders, a.Revenue, a.Cost, a.Margin)
	}
	want := map[string]float64{"flowers": 85, "vases": 20, "cards": 3}
	for k, v := range want {
		if math.Abs(a.Categories[k]-v) > 1e-9 {
			t.Errorf("categories = %v, want %v", a.Categories, want)
		}
	}
	if a.Brands["Fleur"] != 85 {
		t.Errorf("brands = %v, want Fleur: 85", a.Brands)
	}
	orders, err := s.FindOrders(context.Background(), user(t, s, "ann").ID)
	if err != nil || len(orders) != 2 || orders[0].Cost != 42 || orders[1].Cost != 0 || orders[0].Products[0].Cost != 17 {
		t.Errorf("ledger = %+v, %v; want o1 costing 42 with the catalogue's line cost, o2 of unknown cost", orders, err)
	}
	if b := user(t, s, "bob").Aggregates; b.Cost != 17 || b.Margin != 23 {
		t.Errorf("bob's cost, margin = %v, %v, want 17, 23", b.Cost, b.Margin)
	}
}

// TestCatalogueCachedThenRefreshed checks that the processor asks for a
// product once while it trusts the answer, and sees a product imported
// meanwhile once the answer has expired.
func TestCatalogueCachedThenRefreshed(t *testing.T) {
	l, s, _ := newStores(t)
	now := at(0)
	cs := &countingStore{Store: s}
	p := newProcessor(l, cs, processor.Options{BatchSize: 1, MaxBatchSize: 1,
		Clock: rapport.ClockFunc(func() time.Time { return now })})
	appendEvents(t, l, sale("ann", "o1", 0, item("product_id", "rose-12", 40, 1)))
	catchUp(t, p)
	putCatalogue(t, s, rapport.ProductInfo{ID: "rose-12", Cost: 15})
	appendEvents(t, l, sale("ann", "o2", 1, item("product_id", "rose-12", 40, 1)))
	catchUp(t, p)
	if a := user(t, s, "ann").Aggregates; cs.calls != 1 || a.Cost != 0 {
		t.Fatalf("within the TTL: %d lookups and cost %v, want 1 lookup and the cached absence (cost unknown)", cs.calls, a.Cost)
	}
	now = now.Add(2 * time.Minute)
	appendEvents(t, l, sale("ann", "o3", 2, item("product_id", "rose-12", 40, 1)))
	catchUp(t, p)
	if a := user(t, s, "ann").Aggregates; cs.calls != 2 || a.Cost != 15 || a.Margin != 25 {
		t.Errorf("after the TTL: %d lookups, cost %v, margin %v; want 2, 15, 25 (o3 only)", cs.calls, a.Cost, a.Margin)
	}
}

package profile_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/profile"
)

// catalogue is the products the catalogue tests know.
var catalogue = []rapport.ProductInfo{
	{ID: "rose-12", SKU: "R12", Category: "flowers", Brand: "Fleur", Price: 42.5, Cost: 17},
	{SKU: "V1", Category: "vases", Price: 20, Cost: 8},
	// As the UCI Online Retail file gives it: a name and a price, no cost.
	{ID: "85123A", Price: 2.55},
}

// line is one product line of an order's properties.
func line(kv ...any) map[string]any {
	m := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

func TestOrderFromCatalogue(t *testing.T) {
	tests := []struct {
		name       string
		props      map[string]any
		wantCost   float64 // of the order, in the ledger and the aggregates
		wantMargin float64
		wantCats   map[string]float64
		wantBrands map[string]float64
	}{
		{
			name:       "cost, category and brand by product id",
			props:      map[string]any{"revenue": 85.0, "products": []any{line("product_id", "rose-12", "price", 42.5, "quantity", 2.0)}},
			wantCost:   34,
			wantMargin: 51,
			wantCats:   map[string]float64{"flowers": 85},
			wantBrands: map[string]float64{"Fleur": 85},
		},
		{
			name:       "by SKU when the id is unknown or absent",
			props:      map[string]any{"products": []any{line("product_id", "unknown", "sku", "R12", "price", 42.5), line("sku", "V1", "price", 20.0)}},
			wantCost:   25,
			wantMargin: 37.5,
			wantCats:   map[string]float64{"flowers": 42.5, "vases": 20},
		},
		{
			name:       "the line's own cost, category and brand win",
			props:      map[string]any{"products": []any{line("product_id", "rose-12", "price", 42.5, "cost", 20.0, "category", "gifts")}},
			wantCost:   20,
			wantMargin: 22.5,
			wantCats:   map[string]float64{"gifts": 42.5},
			wantBrands: map[string]float64{"Fleur": 42.5},
		},
		{
			name:       "properties.cost wins",
			props:      map[string]any{"revenue": 42.5, "cost": 10.0, "products": []any{line("product_id", "rose-12", "price", 42.5)}},
			wantCost:   10,
			wantMargin: 32.5,
			wantCats:   map[string]float64{"flowers": 42.5},
		},
		{
			name:       "properties.margin wins",
			props:      map[string]any{"revenue": 42.5, "margin": 30.0, "products": []any{line("product_id", "rose-12", "price", 42.5)}},
			wantCost:   12.5,
			wantMargin: 30,
		},
		{
			name:       "one line's cost from the event, one from the catalogue",
			props:      map[string]any{"products": []any{line("product_id", "p9", "price", 10.0, "cost", 4.0), line("sku", "V1", "price", 20.0, "quantity", 3.0)}},
			wantCost:   28,
			wantMargin: 42,
		},
		{
			name:  "a product the catalogue lacks: cost unknown",
			props: map[string]any{"revenue": 9.0, "products": []any{line("product_id", "p9", "price", 9.0)}},
		},
		{
			name:  "a catalogue product without a cost: cost unknown",
			props: map[string]any{"products": []any{line("product_id", "85123A", "price", 2.55, "quantity", 6.0)}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newMemView()
			for _, p := range catalogue {
				v.products[p.Key()] = p
			}
			tt.props["order_id"] = "o1"
			c := v.apply(t, completed("1", 0, tt.props))
			if len(c.Orders) != 1 {
				t.Fatalf("orders = %+v, want one", c.Orders)
			}
			a := v.user(t, "1").Aggregates
			if o := c.Orders[0]; !near(o.Cost, tt.wantCost) || !near(a.Cost, tt.wantCost) || !near(a.Margin, tt.wantMargin) {
				t.Errorf("order cost %v, aggregates cost %v, margin %v; want cost %v, margin %v",
					o.Cost, a.Cost, a.Margin, tt.wantCost, tt.wantMargin)
			}
			for k, want := range tt.wantCats {
				if !near(a.Categories[k], want) {
					t.Errorf("categories = %v, want %s: %v", a.Categories, k, want)
				}
			}
			for k, want := range tt.wantBrands {
				if !near(a.Brands[k], want) {
					t.Errorf("brands = %v, want %s: %v", a.Brands, k, want)
				}
			}
		})
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestOrderLedgerKeepsCatalogueValues(t *testing.T) {
	v := newMemView()
	v.products["rose-12"] = catalogue[0]
	c := v.apply(t, completed("1", 0, map[string]any{"order_id": "o1",
		"products": []any{line("product_id", "rose-12", "price", 42.5)}}))
	got := c.Orders[0].Products[0]
	if got.Cost != 17 || got.Category != "flowers" || got.Brand != "Fleur" {
		t.Errorf("ledger line = %+v, want the catalogue's cost, category and brand", got)
	}
}

func TestProductKeys(t *testing.T) {
	tests := []struct {
		name string
		ev   *rapport.Event
		want []string
	}{
		{"lines lacking something", completed("1", 0, map[string]any{"products": []any{
			line("product_id", "a", "sku", "A1"),
			line("sku", "B1", "cost", 3.0),
			line("product_id", "c", "cost", 1.0, "category", "x", "brand", "y"),
			line("name", "no key"),
		}}), []string{"a", "A1", "B1"}},
		{"a refund looks nothing up", track("1", "", rapport.EventOrderRefunded, 0, map[string]any{
			"products": []any{line("product_id", "a")}}), nil},
		{"another event", track("1", "", "Product Viewed", 0, map[string]any{"product_id": "a"}), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := profile.ProductKeys(tt.ev); !slices.Equal(got, tt.want) {
				t.Errorf("ProductKeys = %q, want %q", got, tt.want)
			}
		})
	}
}

// failingCatalogue is a View whose catalogue is unreachable.
type failingCatalogue struct{ *memView }

var errCatalogue = errors.New("catalogue down")

func (failingCatalogue) Product(context.Context, string) (rapport.ProductInfo, bool, error) {
	return rapport.ProductInfo{}, false, errCatalogue
}

func TestCatalogueErrorFailsTheBatch(t *testing.T) {
	v := newMemView()
	b := v.applier().NewBatch(failingCatalogue{v}, 0)
	ev := completed("1", 0, map[string]any{"order_id": "o1", "products": []any{line("product_id", "a")}})
	ev.Seq, ev.MessageID = 1, "m1"
	if err := b.Apply(context.Background(), ev); !errors.Is(err, errCatalogue) {
		t.Errorf("Apply = %v, want the View's error", err)
	}
}

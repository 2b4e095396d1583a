package storetest

import (
	"context"
	"strings"
	"testing"

	"github.com/rapportdev/rapport"
)

// putProducts puts products and fails the test on error.
func putProducts(t *testing.T, s rapport.Store, products ...rapport.ProductInfo) {
	t.Helper()
	if err := s.PutProducts(context.Background(), products); err != nil {
		t.Fatalf("PutProducts: %v", err)
	}
}

// findProducts looks keys up and fails the test on error.
func findProducts(t *testing.T, s rapport.Store, keys ...string) map[string]rapport.ProductInfo {
	t.Helper()
	got, err := s.FindProducts(context.Background(), keys)
	if err != nil {
		t.Fatalf("FindProducts(%q): %v", keys, err)
	}
	return got
}

func testProducts(t *testing.T, s rapport.Store) {
	rose := rapport.ProductInfo{ID: "rose-12", SKU: "R12", Name: "A dozen roses", Category: "flowers", Brand: "Fleur",
		Price: 42.5, Cost: 17.25, UpdatedAt: at(1)}
	vase := rapport.ProductInfo{SKU: "V1", Name: "Vase", Price: 20, UpdatedAt: at(1)}
	putProducts(t, s, rose, vase)
	if got := findProducts(t, s); len(got) != 0 || got == nil {
		t.Fatalf("FindProducts() = %v, want an empty map", got)
	}
	got := findProducts(t, s, "rose-12", "R12", "V1", "nothing", "", "nul\x00key", "bad\xffkey", strings.Repeat("k", 600))
	equal(t, "FindProducts by id, SKU and unknown keys", got, map[string]rapport.ProductInfo{
		"rose-12": rose, "R12": rose, "V1": vase})
}

// testProductsUpdate checks that putting a stored product again updates
// only what the new one knows, in order, atomically.
func testProductsUpdate(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	rose := rapport.ProductInfo{ID: "rose-12", Name: "Roses", Category: "flowers", Price: 42.5, UpdatedAt: at(1)}
	putProducts(t, s, rose)
	putProducts(t, s,
		rapport.ProductInfo{ID: "rose-12", Cost: 17, UpdatedAt: at(2)},
		rapport.ProductInfo{ID: "rose-12", Brand: "Fleur", Cost: 18, UpdatedAt: at(3)})
	want := rose
	want.Brand, want.Cost, want.UpdatedAt = "Fleur", 18, at(3)
	equal(t, "updated product", findProducts(t, s, "rose-12")["rose-12"], want)

	bad := []rapport.ProductInfo{
		{ID: "tulip", Cost: 3, UpdatedAt: at(4)},
		{ID: "rose-12", Cost: 1, UpdatedAt: at(4)},
		{Name: "no key"},
	}
	wantCode(t, "PutProducts with a product without a key", s.PutProducts(ctx, bad), rapport.EINVALID)
	for _, p := range []rapport.ProductInfo{{ID: "x", Price: -1}, {ID: "x", Cost: -2}, {SKU: "nul\x00"}, {ID: strings.Repeat("k", 600)}} {
		wantCode(t, "PutProducts("+dump(p)+")", s.PutProducts(ctx, []rapport.ProductInfo{p}), rapport.EINVALID)
	}
	if got := findProducts(t, s, "tulip", "rose-12"); len(got) != 1 || got["rose-12"].Cost != 18 {
		t.Fatalf("after a refused PutProducts: %v, want rose-12 unchanged and no tulip", got)
	}
	if err := s.PutProducts(ctx, nil); err != nil {
		t.Fatalf("PutProducts(nil): %v", err)
	}
}

// testProductsKeys checks which product a key finds when ids and SKUs
// overlap, and that text a client can send is stored without error.
func testProductsKeys(t *testing.T, s rapport.Store) {
	byID := rapport.ProductInfo{ID: "x1", Name: "by id", UpdatedAt: at(1)}
	bySKU := rapport.ProductInfo{ID: "p2", SKU: "x1", Name: "by sku", UpdatedAt: at(5)}
	older := rapport.ProductInfo{ID: "p3", SKU: "shared", Name: "older", UpdatedAt: at(1)}
	newer := rapport.ProductInfo{ID: "p4", SKU: "shared", Name: "newer", UpdatedAt: at(2)}
	tieA := rapport.ProductInfo{ID: "t1", SKU: "tie", UpdatedAt: at(3)}
	tieB := rapport.ProductInfo{ID: "t2", SKU: "tie", UpdatedAt: at(3)}
	hostile := rapport.ProductInfo{ID: "h'\"", Name: "nul\x00name\xff", Category: "bad\xfe", UpdatedAt: at(1)}
	putProducts(t, s, byID, bySKU, older, newer, tieB, tieA, hostile)
	got := findProducts(t, s, "x1", "shared", "tie", "h'\"")
	for key, want := range map[string]string{"x1": "x1", "shared": "p4", "tie": "t1", "h'\"": "h'\""} {
		if got[key].ID != want {
			t.Errorf("FindProducts[%q] = %+v, want product %s", key, got[key], want)
		}
	}
}

// testListProducts checks that paging walks every product once, by key
// as bytes.
func testListProducts(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	keys := []string{"B", "a", "a1", "b", "É", "~"}
	for _, k := range keys {
		putProducts(t, s, rapport.ProductInfo{ID: k, UpdatedAt: at(1)})
	}
	putProducts(t, s, rapport.ProductInfo{SKU: "Z-sku", UpdatedAt: at(1)})
	var walked []string
	after := ""
	for range 10 {
		page, err := s.ListProducts(ctx, after, 2)
		if err != nil {
			t.Fatalf("ListProducts(%q, 2): %v", after, err)
		}
		if len(page) == 0 {
			break
		}
		for _, p := range page {
			walked = append(walked, p.Key())
		}
		after = page[len(page)-1].Key()
	}
	equal(t, "keys walked by ListProducts", walked, []string{"B", "Z-sku", "a", "a1", "b", "~", "É"})
	if all, err := s.ListProducts(ctx, "", 0); err != nil || len(all) != 7 {
		t.Fatalf("ListProducts with the default limit = %d products, %v; want 7", len(all), err)
	}
}

package csvimport

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/rapportdev/rapport"
)

// store folds batches of products into a catalogue the way a store's
// PutProducts does, checking each batch on the way.
type store struct {
	t        testing.TB
	max      int
	batches  int
	products map[string]rapport.ProductInfo
}

func newStore(t testing.TB, max int) *store {
	return &store{t: t, max: max, products: map[string]rapport.ProductInfo{}}
}

func (s *store) put(batch []rapport.ProductInfo) error {
	s.batches++
	if len(batch) > s.max {
		s.t.Errorf("batch of %d products, want at most %d", len(batch), s.max)
	}
	seen := map[string]bool{}
	for _, p := range batch {
		if err := p.Validate(); err != nil {
			s.t.Errorf("product %+v: %v", p, err)
		}
		if seen[p.Key()] {
			s.t.Errorf("product %s twice in one batch", p.Key())
		}
		seen[p.Key()] = true
		s.products[p.Key()] = s.products[p.Key()].Update(p)
	}
	return nil
}

// importProducts imports data into a fresh store with opts.
func importProducts(t *testing.T, data string, opts Options) (*Report, *store) {
	t.Helper()
	s := newStore(t, opts.withDefaults().BatchSize)
	rep, err := Products(context.Background(), strings.NewReader(data), opts, s.put)
	if err != nil {
		t.Fatalf("import products: %v", err)
	}
	if rep.Rows != rep.Accepted+rep.Rejected || rep.Rejected != len(rep.Errors) || rep.Products != len(s.products) {
		t.Errorf("report does not add up: %+v, %d products stored", rep, len(s.products))
	}
	return rep, s
}

func TestProductsFixture(t *testing.T) {
	data, err := os.ReadFile("testdata/products.csv")
	if err != nil {
		t.Fatal(err)
	}
	rep, s := importProducts(t, string(data), testOptions())
	checkErrors(t, rep.Errors, []RowError{
		{5, "missing product id and SKU"},
		{6, `price (column 6, "Price"): bad number "abc"`},
		{7, `cost (column 7, "Unit Cost"): negative amount "-1"`},
		{9, `bad CSV: bare " in non-quoted-field`},
		{10, "wrong column count: got 2, want 7"},
	})
	if rep.Rows != 10 || rep.Accepted != 5 || rep.Products != 4 || rep.Events != 0 {
		t.Errorf("report = %+v, want 10 rows, 5 accepted, 4 products, no events", rep)
	}
	if got, want := rep.String(), "10 rows: 5 accepted, 5 rejected; 4 products"; got != want {
		t.Errorf("report reads %q, want %q", got, want)
	}
	want := map[string]rapport.ProductInfo{
		"rose-12": {ID: "rose-12", SKU: "R12", Name: "A dozen roses", Category: "gifts", Brand: "Fleur", Price: 42.5, Cost: 18},
		"V1":      {SKU: "V1", Name: "Vase", Category: "vases", Price: 20, Cost: 8},
		"17850":   {ID: "17850", Name: "Numbered", Category: "misc", Price: 1.5},
		"orchid":  {ID: "orchid", SKU: "O1", Name: "Orchid", Category: "plants", Brand: "Verde", Price: 30, Cost: 12},
	}
	for key, w := range want {
		w.UpdatedAt = testNow
		if got := s.products[key]; got != w {
			t.Errorf("product %s = %+v, want %+v", key, got, w)
		}
	}
}

func TestProductsMappingAndHeaders(t *testing.T) {
	tests := []struct {
		name    string
		data    string
		mapping Mapping
		want    rapport.ProductInfo
		wantErr string
	}{
		{
			name:    "mapped columns",
			data:    "Ref;Designation;Famille;Cout HT\nA-1;Chaise;meubles;12,5\n",
			mapping: Mapping{"product_id": "Ref", "name": "Designation", "category": "Famille", "cost": "Cout HT"},
			wantErr: `cost (column 4, "Cout HT"): bad number "12,5"`,
		},
		{
			name:    "mapped columns, good number",
			data:    "Ref;Designation;Famille;Cout HT\nA-1;Chaise;meubles;12.5\n",
			mapping: Mapping{"product_id": "Ref", "name": "Designation", "category": "Famille", "cost": "Cout HT"},
			want:    rapport.ProductInfo{ID: "A-1", Name: "Chaise", Category: "meubles", Cost: 12.5},
		},
		{
			name: "Online Retail headers, no cost",
			data: "InvoiceNo;StockCode;Description;Quantity;InvoiceDate;UnitPrice;CustomerID;Country\n" +
				"536365;85123A;WHITE HANGING HEART T-LIGHT HOLDER;6;2010-12-01 08:26:00;2.55;17850.0;United Kingdom\n",
			want: rapport.ProductInfo{ID: "85123A", Name: "WHITE HANGING HEART T-LIGHT HOLDER", Price: 2.55},
		},
		{
			name: "sku only, name column",
			data: "sku;name;brand;price\nS-9;Socks;Ace;4\n",
			want: rapport.ProductInfo{SKU: "S-9", Name: "Socks", Brand: "Ace", Price: 4},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := testOptions()
			opts.Delimiter, opts.Mapping = ';', tt.mapping
			rep, s := importProducts(t, tt.data, opts)
			if tt.wantErr != "" {
				if len(rep.Errors) != 1 || rep.Errors[0].Reason != tt.wantErr {
					t.Errorf("errors = %v, want %q on line 2", rep.Errors, tt.wantErr)
				}
				return
			}
			tt.want.UpdatedAt = testNow
			if got := s.products[tt.want.Key()]; got != tt.want || len(rep.Errors) > 0 {
				t.Errorf("product = %+v (errors %v), want %+v", got, rep.Errors, tt.want)
			}
		})
	}
}

func TestProductsRefusesHeaderWithoutKey(t *testing.T) {
	_, err := Products(context.Background(), strings.NewReader("Title,Price\nRoses,4\n"), testOptions(),
		func([]rapport.ProductInfo) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "no column for product_id or sku") {
		t.Errorf("error = %v, want the missing product_id or sku column named", err)
	}
	_, err = Products(context.Background(), strings.NewReader("Title,Price\n"), Options{Mapping: Mapping{"sku": "Ref"}},
		func([]rapport.ProductInfo) error { return nil })
	if err == nil || !strings.Contains(err.Error(), `column "Ref" (mapped to sku) is not in the header`) {
		t.Errorf("error = %v, want the mapped column named", err)
	}
}

// TestProductsBatches checks that a product whose rows are further apart
// than the fold window ends as the fold of its rows, and that put's error
// stops the import.
func TestProductsBatches(t *testing.T) {
	var b strings.Builder
	b.WriteString("product_id,price,category\n")
	for i := range 600 {
		price := ""
		if i%2 == 0 {
			price = strconv.Itoa(i)
		}
		fmt.Fprintf(&b, "p%d,%s,c%d\n", i%300, price, i)
	}
	opts := testOptions()
	opts.BatchSize = 2 // a window of 128 products
	rep, s := importProducts(t, b.String(), opts)
	if rep.Products != 300 || rep.Accepted != 600 || s.batches != 300 {
		t.Errorf("report %+v in %d batches, want 300 products from 600 rows in 300 batches", rep, s.batches)
	}
	for k, want := range map[string]rapport.ProductInfo{
		"p4": {ID: "p4", Price: 304, Category: "c304"},
		"p7": {ID: "p7", Category: "c307"},
	} {
		if got := s.products[k]; got.Price != want.Price || got.Category != want.Category {
			t.Errorf("product %s = %+v, want the last category and the last price given: %+v", k, got, want)
		}
	}
	boom := errors.New("store down")
	_, err := Products(context.Background(), strings.NewReader(b.String()), opts, func([]rapport.ProductInfo) error { return boom })
	if !errors.Is(err, boom) {
		t.Errorf("error = %v, want put's error", err)
	}
}

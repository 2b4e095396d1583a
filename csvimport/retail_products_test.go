package csvimport

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/rapportdev/rapport"
)

// retailMapping names the Online Retail file's product columns, which the
// default headers would also find.
var retailMapping = Mapping{"product_id": "StockCode", "name": "Description", "price": "UnitPrice"}

// computeRetailProducts reads the products straight from the file,
// independently of the importer: per stock code, the last description and
// the last positive price; and the number of rows with a negative price.
func computeRetailProducts(t *testing.T) (map[string]rapport.ProductInfo, int) {
	t.Helper()
	cr := csv.NewReader(openRetail(t))
	if _, err := cr.Read(); err != nil {
		t.Fatal(err)
	}
	products := map[string]rapport.ProductInfo{}
	negative := 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		price, err := strconv.ParseFloat(rec[5], 64)
		if err != nil || price < 0 {
			negative++
			continue
		}
		p := products[rec[1]]
		p.ID = rec[1]
		if name := strings.TrimSpace(rec[2]); name != "" { // the importer trims cells
			p.Name = name
		}
		if price > 0 {
			p.Price = price
		}
		products[rec[1]] = p
	}
	return products, negative
}

// TestOnlineRetailProducts imports the distinct products of the UCI
// Online Retail file: stock code, description and unit price; no cost,
// which stays unknown.
func TestOnlineRetailProducts(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 541,909 lines")
	}
	want, negative := computeRetailProducts(t)
	s := newStore(t, DefaultBatchSize)
	opts := Options{Source: "online_retail.csv", Mapping: retailMapping}
	rep, err := Products(context.Background(), openRetail(t), opts, s.put)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%v in %d batches", rep, s.batches)
	if rep.Rows != 541909 || rep.Rejected != negative || negative != 2 || rep.Products != len(want) || len(want) != 4070 {
		t.Errorf("report %v; want 541909 rows, the %d rows of negative price rejected, %d products (4070 stock codes)",
			rep, negative, len(want))
	}
	for _, e := range rep.Errors {
		if e.Reason != `price (column 6, "UnitPrice"): negative amount "-11062.06"` {
			t.Errorf("unexpected rejection %v", e)
		}
	}
	for code, w := range want {
		got := s.products[code]
		if got.ID != w.ID || got.Name != w.Name || got.Price != w.Price || got.Cost != 0 {
			t.Errorf("product %s = %+v, want %+v and no cost", code, got, w)
		}
	}
}

// BenchmarkOnlineRetailProducts measures the import rate of the Online
// Retail file as a catalogue (parsing and folding rows into products; the
// store is not measured here).
func BenchmarkOnlineRetailProducts(b *testing.B) {
	data, err := os.ReadFile(retailPath)
	if err != nil {
		b.Skipf("UCI Online Retail data not found: %v", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	var rows int
	for b.Loop() {
		rep, err := Products(context.Background(), bytes.NewReader(raw), Options{Mapping: retailMapping},
			func([]rapport.ProductInfo) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
		rows += rep.Rows
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

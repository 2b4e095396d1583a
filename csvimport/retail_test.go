package csvimport

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"io"
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/rapportdev/rapport"
)

// retailPath is the UCI Online Retail file (Chen, Sain & Guo 2012, CC BY
// 4.0), shared beside the repository and never copied into it.
const retailPath = "../../shared/data/online-retail/online_retail.csv.gz"

// openRetail returns the unpacked Online Retail file, skipping the test
// when it is missing.
func openRetail(tb testing.TB) io.Reader {
	tb.Helper()
	f, err := os.Open(retailPath)
	if err != nil {
		tb.Skipf("UCI Online Retail data not found (%v); it lives in shared/data beside the repository", err)
	}
	tb.Cleanup(func() { f.Close() })
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	return zr
}

// retailTruth is computed straight from the file, independently of the
// importer: Σ quantity × price over lines with a customer id, the invoices
// of those lines and which of them sum to less than zero.
type retailTruth struct {
	lines, noCustomer int
	revenue           float64
	orders, refunds   int
}

func computeRetailTruth(t *testing.T) retailTruth {
	t.Helper()
	cr := csv.NewReader(openRetail(t))
	if _, err := cr.Read(); err != nil {
		t.Fatal(err)
	}
	var truth retailTruth
	totals := map[string]float64{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		truth.lines++
		if rec[6] == "" {
			truth.noCustomer++
			continue
		}
		q, _ := strconv.ParseFloat(rec[3], 64)
		p, _ := strconv.ParseFloat(rec[5], 64)
		truth.revenue += q * p
		totals[rec[0]] += q * p
	}
	for _, sum := range totals {
		if math.Round(sum*1e6) < 0 {
			truth.refunds++
		} else {
			truth.orders++
		}
	}
	return truth
}

func TestOnlineRetail(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 541,909 lines")
	}
	truth := computeRetailTruth(t)
	var revenue float64
	customers := map[string]bool{}
	opts := Options{Source: "online_retail.csv", Currency: "GBP", Channel: "web"}
	rep, err := Orders(context.Background(), openRetail(t), opts, func(batch []rapport.Event) error {
		for i := range batch {
			if err := batch[i].Validate(); err != nil {
				t.Fatalf("event %s: %v", batch[i].MessageID, err)
			}
			revenue += batch[i].Properties["revenue"].(float64)
			customers[batch[i].UserID] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%v; net revenue %.2f; %d customers", rep, revenue, len(customers))
	if rep.Rows != 541909 || rep.Rows != truth.lines {
		t.Errorf("rows = %d, want 541909 (%d read directly)", rep.Rows, truth.lines)
	}
	if rep.Rejected != truth.noCustomer || truth.noCustomer != 135080 {
		t.Errorf("rejected = %d, want the %d lines without CustomerID (135080 documented)", rep.Rejected, truth.noCustomer)
	}
	for _, e := range rep.Errors {
		if e.Reason != "missing customer id (user_id, anonymous_id, email or phone)" {
			t.Fatalf("unexpected rejection %v", e)
		}
	}
	if rep.Orders != truth.orders || rep.Refunds != truth.refunds {
		t.Errorf("orders, refunds = %d, %d; want %d, %d", rep.Orders, rep.Refunds, truth.orders, truth.refunds)
	}
	if math.Abs(revenue-truth.revenue) > 0.01 {
		t.Errorf("net revenue of events = %.4f, want %.4f", revenue, truth.revenue)
	}
	if len(customers) != 4372 {
		t.Errorf("customers = %d, want 4372", len(customers))
	}
}

func BenchmarkOnlineRetail(b *testing.B) {
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
		rep, err := Orders(context.Background(), bytes.NewReader(raw), Options{}, func([]rapport.Event) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
		rows += rep.Rows
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

package clv

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The CDNOW data sets live outside the repository, next to it.
var cdnowDir = filepath.Join("..", "..", "shared", "data", "cdnow")

// cdnowEnd is the end of the 39-week calibration period of the published
// CDNOW fits.
var cdnowEnd = time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC)

// readCDNOW returns the bytes of a CDNOW file, skipping the test when the
// data are not there.
func readCDNOW(tb testing.TB, name string) []byte {
	tb.Helper()
	path := filepath.Join(cdnowDir, name)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		tb.Skipf("CDNOW data not found at %s: the test needs the shared data directory next to the repository", path)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// cdnowSample summarises the CDNOW sample in weeks.
func cdnowSample(t *testing.T) []Customer {
	t.Helper()
	txs, err := ReadTransactions(bytes.NewReader(readCDNOW(t, "cdnow_sample_transactions.csv")))
	if err != nil {
		t.Fatal(err)
	}
	cs, err := Summarise(txs, cdnowEnd, Week)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// within fails unless got is within rel (relative) of want.
func within(t *testing.T, name string, got, want, rel float64) {
	t.Helper()
	if !near(got, want, rel) {
		t.Errorf("%s = %v, want %v within %g%%", name, got, want, rel*100)
	}
}

// TestCDNOWSummary checks the summary against the first customer in
// Hardie's notes: x = 2, t_x = 30.43, T = 38.86.
func TestCDNOWSummary(t *testing.T) {
	cs := cdnowSample(t)
	if len(cs) != 2357 {
		t.Fatalf("got %d customers, want 2357", len(cs))
	}
	c := cs[0]
	if c.ID != "0001" || c.X != 2 {
		t.Fatalf("first customer %+v, want 0001 with x = 2", c)
	}
	within(t, "t_x", c.TX, 30.43, 2e-4)
	within(t, "T", c.T, 38.86, 2e-4)
	within(t, "value", c.Value, (29.73+14.96)/2, 1e-12)
}

// TestCDNOWFit reproduces the published fits on the CDNOW sample: BG/NBD
// (Fader, Hardie & Lee 2005) and Gamma-Gamma ("RFM and CLV").
func TestCDNOWFit(t *testing.T) {
	cs := cdnowSample(t)
	bg, err := FitBGNBD(cs)
	if err != nil {
		t.Fatal(err)
	}
	if !bg.Converged || bg.Customers != 2357 {
		t.Errorf("bg/nbd: %+v, want converged on 2357 customers", bg)
	}
	within(t, "r", bg.R, 0.243, 0.01)
	within(t, "alpha", bg.Alpha, 4.414, 0.01)
	within(t, "a", bg.A, 0.793, 0.01)
	within(t, "b", bg.B, 2.426, 0.01)
	within(t, "bg/nbd loglik", bg.LogLik, -9582.4, 1e-5)

	gg, err := FitGammaGamma(cs)
	if err != nil {
		t.Fatal(err)
	}
	if !gg.Converged || gg.Customers != 946 {
		t.Errorf("gamma-gamma: %+v, want converged on 946 customers", gg)
	}
	within(t, "p", gg.P, 6.25, 0.01)
	within(t, "q", gg.Q, 3.74, 0.01)
	within(t, "gamma", gg.Gamma, 15.44, 0.01)
}

// TestCDNOWLogLikelihood evaluates the BG/NBD log-likelihood at the
// published parameters: it must be the published maximum, -9582.4, to the
// rounding of the parameters.
func TestCDNOWLogLikelihood(t *testing.T) {
	cs := cdnowSample(t)
	m := BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	within(t, "loglik", m.LogLikelihood(cs), -9582.4, 2e-5)
}

// TestCDNOWTConvention documents why Summarise measures T to the start of
// the end day: measured to its end (T one day longer), the fit is
// r = 0.2417, alpha = 4.394, a = 0.8145, b = 2.477 (loglik -9589.9); a and b
// miss the published 0.793 and 2.426 by more than 2%.
func TestCDNOWTConvention(t *testing.T) {
	cs := cdnowSample(t)
	for i := range cs {
		cs[i].T += 1.0 / 7
	}
	bg, err := FitBGNBD(cs)
	if err != nil {
		t.Fatal(err)
	}
	if near(bg.A, 0.793, 0.01) || near(bg.B, 2.426, 0.01) {
		t.Errorf("end-of-day T: a = %v, b = %v, within 1%% of the published 0.793, 2.426 too; the test no longer tells the conventions apart", bg.A, bg.B)
	}
	t.Logf("end-of-day T: %+v", bg)
}

// BenchmarkFitMaster parses the full CDNOW master file (69,659 lines, 23,570
// customers), summarises it for the calibration period ending 1997-09-30 in
// weeks and fits BG/NBD, per operation.
func BenchmarkFitMaster(b *testing.B) {
	data := readCDNOW(b, "cdnow_master_transactions.csv")
	for b.Loop() {
		txs, err := ReadTransactions(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		cs, err := Summarise(txs, cdnowEnd, Week)
		if err != nil {
			b.Fatal(err)
		}
		fit, err := FitBGNBD(cs)
		if err != nil || !fit.Converged || fit.Customers != 23570 {
			b.Fatalf("fit %+v, %v: want converged on 23570 customers", fit, err)
		}
	}
}

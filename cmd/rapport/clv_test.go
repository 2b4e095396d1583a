package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cdnowSample is the CDNOW sample, kept outside the repository.
var cdnowSample = filepath.Join("..", "..", "..", "shared", "data", "cdnow", "cdnow_sample_transactions.csv")

// runCLVArgs runs `rapport clv ARGS...` in process.
func runCLVArgs(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := runCLV(context.Background(), args, &stdout, &stderr)
	return stdout.String(), err
}

// needCDNOW skips the test when the CDNOW sample is missing.
func needCDNOW(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(cdnowSample); errors.Is(err, fs.ErrNotExist) {
		t.Skipf("CDNOW sample not found at %s: the test needs the shared data directory next to the repository", cdnowSample)
	}
}

// TestCLVFit checks the printed fits against the published CDNOW figures
// (BG/NBD: Fader, Hardie & Lee 2005; Gamma-Gamma: "RFM and CLV"), in weeks
// and in days: only alpha, a rate per period, changes with the period.
func TestCLVFit(t *testing.T) {
	needCDNOW(t)
	tests := []struct {
		period string
		alpha  float64
	}{
		{"week", 4.414},
		{"day", 4.414 * 7},
	}
	for _, tt := range tests {
		t.Run(tt.period, func(t *testing.T) {
			out, err := runCLVArgs(t, "fit", "--transactions", cdnowSample, "--calibration-end", "1997-09-30", "--period", tt.period)
			if err != nil {
				t.Fatal(err)
			}
			if n := strings.Count(out, "\n"); n != 1 {
				t.Fatalf("got %d lines, want 1:\n%s", n, out)
			}
			var res struct {
				BGNBD struct {
					R, Alpha, A, B, LogLik float64
					Customers              int
					Converged              bool
				} `json:"bgnbd"`
				GammaGamma struct {
					P, Q, Gamma, LogLik float64
					Customers           int
				} `json:"gammagamma"`
				Seconds *float64 `json:"seconds"`
			}
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			bg, gg := res.BGNBD, res.GammaGamma
			if !bg.Converged || bg.Customers != 2357 || gg.Customers != 946 || res.Seconds == nil {
				t.Errorf("got %s, want converged fits on 2357 and 946 customers and seconds", out)
			}
			for _, c := range []struct {
				name      string
				got, want float64
			}{
				{"r", bg.R, 0.243}, {"alpha", bg.Alpha, tt.alpha}, {"a", bg.A, 0.793}, {"b", bg.B, 2.426},
				{"p", gg.P, 6.25}, {"q", gg.Q, 3.74}, {"gamma", gg.Gamma, 15.44},
			} {
				if math.Abs(c.got-c.want) > 0.01*c.want {
					t.Errorf("%s = %v, want %v within 1%%", c.name, c.got, c.want)
				}
			}
			if tt.period == "week" && math.Abs(bg.LogLik+9582.4) > 0.1 {
				t.Errorf("bg/nbd loglik = %v, want -9582.4", bg.LogLik)
			}
		})
	}
}

func TestCLVErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	badRow := write("bad.csv", "customer_id,date,amount\na,1997-01-01,1\na,1997-13-01,2\n")
	late := write("late.csv", "customer_id,date,amount\na,1998-01-01,1\n")
	oneTime := write("one.csv", "customer_id,date,amount\na,1997-01-01,1\nb,1997-01-02,2\n")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no subcommand", nil, "want 'clv fit'"},
		{"unknown subcommand", []string{"predict"}, `unknown subcommand "predict"`},
		{"unknown flag", []string{"fit", "--bogus"}, "flag provided but not defined"},
		{"missing transactions", []string{"fit", "--calibration-end", "1997-09-30"}, "--transactions and --calibration-end are required"},
		{"missing end", []string{"fit", "--transactions", badRow}, "--transactions and --calibration-end are required"},
		{"bad end", []string{"fit", "--transactions", badRow, "--calibration-end", "30/09/1997"}, "--calibration-end: date \"30/09/1997\""},
		{"bad period", []string{"fit", "--transactions", badRow, "--calibration-end", "1997-09-30", "--period", "month"}, `--period: period "month": want day or week`},
		{"extra argument", []string{"fit", "--transactions", badRow, "--calibration-end", "1997-09-30", "x.csv"}, `unexpected argument "x.csv"`},
		{"missing file", []string{"fit", "--transactions", filepath.Join(dir, "none.csv"), "--calibration-end", "1997-09-30"}, "no such file"},
		{"bad row", []string{"fit", "--transactions", badRow, "--calibration-end", "1997-09-30"}, "line 3 column date"},
		{"no customer before the end", []string{"fit", "--transactions", late, "--calibration-end", "1997-09-30"}, "no customer bought on or before 1997-09-30"},
		{"no repeat purchase", []string{"fit", "--transactions", oneTime, "--calibration-end", "1997-09-30"}, "gamma-gamma: no customer with a repeat purchase"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := runCLVArgs(t, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got error %v, want one containing %q", err, tt.want)
			}
			if out != "" {
				t.Errorf("printed %q on error", out)
			}
		})
	}
}

package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/rapportdev/rapport/clv"
)

// runCLV runs `rapport clv fit`: the lifetime-value models on a transactions
// file.
func runCLV(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("clv: want 'clv fit'")
	}
	if args[0] == "fit" {
		return clvFit(ctx, args[1:], stdout, stderr)
	}
	return fmt.Errorf("clv: unknown subcommand %q (want fit)", args[0])
}

// clvResult is the JSON line clvFit prints.
type clvResult struct {
	BGNBD      clv.BGNBDFit      `json:"bgnbd"`
	GammaGamma clv.GammaGammaFit `json:"gammagamma"`
	Seconds    float64           `json:"seconds"`
}

// clvFit fits BG/NBD and Gamma-Gamma on a transactions CSV and prints the
// fits as one JSON line.
func clvFit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("clv fit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("transactions", "", "CSV with columns customer_id, date (YYYY-MM-DD or YYYYMMDD), amount")
	endFlag := fs.String("calibration-end", "", "last day of the calibration period (YYYY-MM-DD); later purchases are left out")
	periodFlag := fs.String("period", "week", "unit of time of the models: day or week")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("clv fit: unexpected argument %q", fs.Arg(0))
	}
	if *path == "" || *endFlag == "" {
		return errors.New("clv fit: --transactions and --calibration-end are required")
	}
	end, err := clv.ParseDate(*endFlag)
	if err != nil {
		return fmt.Errorf("clv fit: --calibration-end: %w", err)
	}
	period, err := clv.ParsePeriod(*periodFlag)
	if err != nil {
		return fmt.Errorf("clv fit: --period: %w", err)
	}
	start := time.Now()
	res, err := fitCLV(ctx, *path, end, period)
	if err != nil {
		return fmt.Errorf("clv fit: %w", err)
	}
	res.Seconds = round(time.Since(start).Seconds(), 3)
	return json.NewEncoder(stdout).Encode(res)
}

// fitCLV reads the transactions and fits both models.
func fitCLV(ctx context.Context, path string, end time.Time, period clv.Period) (*clvResult, error) {
	txs, err := readTransactionsFile(path)
	if err != nil {
		return nil, err
	}
	cs, err := clv.Summarise(txs, end, period)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, fmt.Errorf("%s: no customer bought on or before %s", path, end.Format(time.DateOnly))
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	bg, err := clv.FitBGNBD(cs)
	if err != nil {
		return nil, err
	}
	gg, err := clv.FitGammaGamma(cs)
	if err != nil {
		return nil, err
	}
	return &clvResult{BGNBD: bg, GammaGamma: gg}, nil
}

// readTransactionsFile reads transactions from a CSV file.
func readTransactionsFile(path string) ([]clv.Transaction, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	txs, err := clv.ReadTransactions(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return txs, nil
}

package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"time"

	"github.com/rapportdev/rapport/config"
	"github.com/rapportdev/rapport/economics"
	"github.com/rapportdev/rapport/report"
)

// reportKinds are the reports `rapport report` makes, as the admin API's
// /api/v1/reports/ names them.
var reportKinds = []string{"segments", "economics", "personas", "rfm", "serve-first"}

// reportConfig is what `rapport report` was asked for.
type reportConfig struct {
	kind   string
	store  storeFlags
	format string
	config string
	limit  int
}

// runReport runs `rapport report KIND`: a report on a store, printed as
// JSON or CSV (docs/economics.md).
//
//	rapport report segments|economics|personas|rfm|serve-first [--data DIR | --postgres URL]
//	    [--format json|csv] [--config rapport.yaml] [--limit N]
func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseReportFlags(args, stderr)
	if err != nil {
		return err
	}
	opts, err := economicsOptions(cfg.config)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if cfg.store.postgres == "" {
		if _, err := os.Stat(cfg.store.dbPath()); err != nil {
			return fmt.Errorf("report: no store at %s: %w", cfg.store.dbPath(), err)
		}
	}
	b, err := cfg.store.open(ctx)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	defer b.Close()
	rep, err := buildReport(ctx, cfg, b, opts, time.Now().UTC())
	if err != nil {
		return fmt.Errorf("report %s: %w", cfg.kind, err)
	}
	if cfg.format == "csv" {
		return rep.WriteCSV(stdout)
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// parseReportFlags reads the report's kind and flags.
func parseReportFlags(args []string, stderr io.Writer) (*reportConfig, error) {
	if len(args) == 0 || !slices.Contains(reportKinds, args[0]) {
		return nil, fmt.Errorf("report: want one of %v as the first argument", reportKinds)
	}
	cfg := &reportConfig{kind: args[0]}
	fs := flag.NewFlagSet("report "+cfg.kind, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg.store.register(fs)
	fs.StringVar(&cfg.format, "format", "json", "output: json or csv")
	fs.StringVar(&cfg.config, "config", envOr("RAPPORT_CONFIG", ""), "rapport.yaml to read the economics section of (env RAPPORT_CONFIG); default ./rapport.yaml when it exists")
	fs.IntVar(&cfg.limit, "limit", 100, "serve-first: customers listed, 0 for all")
	if err := fs.Parse(args[1:]); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("report %s: unexpected argument %q", cfg.kind, fs.Arg(0))
	}
	if cfg.format != "json" && cfg.format != "csv" {
		return nil, fmt.Errorf("report %s: --format %q, want json or csv", cfg.kind, cfg.format)
	}
	if cfg.limit < 0 {
		return nil, fmt.Errorf("report %s: --limit %d, want 0 (all) or more", cfg.kind, cfg.limit)
	}
	return cfg, nil
}

// economicsOptions reads the economics section of rapport.yaml: the named
// file, else ./rapport.yaml when it exists, else the defaults.
func economicsOptions(path string) (economics.Options, error) {
	if path == "" {
		if _, err := os.Stat("rapport.yaml"); errors.Is(err, fs.ErrNotExist) {
			return economics.Defaults(), nil
		} else if err != nil {
			return economics.Options{}, fmt.Errorf("rapport.yaml: %w", err)
		}
		path = "rapport.yaml"
	}
	c, err := config.Load(path)
	if err != nil {
		return economics.Options{}, err
	}
	return c.Economics.Options(), nil
}

// csvReport is a report that can also be written as CSV.
type csvReport interface {
	WriteCSV(w io.Writer) error
}

// buildReport makes the report cfg names as of now.
func buildReport(ctx context.Context, cfg *reportConfig, b *backend, opts economics.Options, now time.Time) (csvReport, error) {
	switch cfg.kind {
	case "segments":
		return report.SegmentSizes(ctx, b.Store, now)
	case "economics":
		return report.Economics(ctx, b.Store, opts, now)
	case "personas":
		return report.Personas(ctx, b.Store, now)
	case "rfm":
		return report.RFM(ctx, b.Store, now)
	}
	return report.ServeFirst(ctx, b.Store, opts, now, cfg.limit)
}

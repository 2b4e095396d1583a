package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/csvimport"
	"github.com/rapportdev/rapport/processor"
	"github.com/rapportdev/rapport/progress"
)

// listFlag collects a repeated flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// importFunc is csvimport.Customers or csvimport.Orders.
type importFunc func(context.Context, io.Reader, csvimport.Options, func([]rapport.Event) error) (*csvimport.Report, error)

// eventImports are the imports that make events; products is the other.
var eventImports = map[string]importFunc{"customers": csvimport.Customers, "orders": csvimport.Orders}

// rejectsShown bounds the rejected rows printed to the terminal; the rest
// go to the rejects file.
const rejectsShown = 20

func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (eventImports[args[0]] == nil && args[0] != "products") {
		return errors.New("import: want 'import customers FILE.csv', 'import orders FILE.csv' or 'import products FILE.csv'")
	}
	kind := args[0]
	var sf storeFlags
	var maps listFlag
	var opts csvimport.Options
	fs := flag.NewFlagSet("import "+kind, flag.ContinueOnError)
	fs.SetOutput(stderr)
	sf.register(fs)
	fs.Var(&maps, "map", "field=Column, repeatable: which column holds a field (e.g. --map user_id=CustomerID)")
	mappingFile := fs.String("mapping", "", "file of field=Column lines (or YAML) mapping fields to columns")
	delim := fs.String("delimiter", ",", "field delimiter")
	tz := fs.String("tz", "UTC", "time zone of times written without one")
	rejects := fs.String("rejects", "", "file to write every rejected row to (default: rapport-rejects-<file>.txt when more than 20)")
	fs.StringVar(&opts.Currency, "currency", "", "orders: currency of rows that name none")
	fs.StringVar(&opts.Channel, "channel", "", "orders: sales channel (web, in-store, phone) of rows that name none")
	fs.BoolVar(&opts.Grouped, "grouped", false, "orders: each order's lines are adjacent (less memory)")
	fs.BoolVar(&opts.AllColumns, "all-columns", false, "customers: keep every unmapped column as a trait")
	path, err := parseFileArg(fs, args[1:])
	if err != nil {
		return fmt.Errorf("import %s: %w", kind, err)
	}
	if err := importOptions(&opts, maps, *mappingFile, *delim, *tz, path); err != nil {
		return fmt.Errorf("import %s: %w", kind, err)
	}
	b, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer b.Close()
	rep, err := importFile(path, opts, stderr, importInto(ctx, kind, b))
	if err != nil {
		return fmt.Errorf("import %s %s: %w", kind, path, err)
	}
	fmt.Fprintf(stdout, "%s: %s\n", path, rep)
	if err := reportRejects(rep, path, *rejects, stdout); err != nil {
		return err
	}
	if kind == "products" {
		// The catalogue is read by the processor as orders apply: there
		// are no events to apply.
		return nil
	}
	return applyImported(ctx, b, stdout, stderr)
}

// importInto returns what reads a file of kind into the backend: events
// appended to the log, or products put in the store's catalogue.
func importInto(ctx context.Context, kind string, b *backend) func(io.Reader, csvimport.Options) (*csvimport.Report, error) {
	if kind == "products" {
		return func(r io.Reader, opts csvimport.Options) (*csvimport.Report, error) {
			return csvimport.Products(ctx, r, opts, func(products []rapport.ProductInfo) error {
				return b.Store.PutProducts(ctx, products)
			})
		}
	}
	return func(r io.Reader, opts csvimport.Options) (*csvimport.Report, error) {
		return eventImports[kind](ctx, r, opts, func(events []rapport.Event) error {
			return b.Log.Append(ctx, events)
		})
	}
}

func importOptions(opts *csvimport.Options, maps listFlag, mappingFile, delim, tz, path string) error {
	m, err := csvimport.ParseMapping(maps)
	if err != nil {
		return err
	}
	if mappingFile != "" {
		fm, err := csvimport.LoadMapping(mappingFile)
		if err != nil {
			return err
		}
		for k, v := range m { // flags win over the file
			fm[k] = v
		}
		m = fm
	}
	opts.Mapping = m
	if r := []rune(delim); len(r) == 1 {
		opts.Delimiter = r[0]
	} else {
		return fmt.Errorf("--delimiter %q: want one character", delim)
	}
	if opts.Location, err = time.LoadLocation(tz); err != nil {
		return fmt.Errorf("--tz: %w", err)
	}
	opts.Source = filepath.Base(path)
	return nil
}

// importFile reads path through read, drawing a progress bar.
func importFile(path string, opts csvimport.Options, stderr io.Writer, read func(io.Reader, csvimport.Options) (*csvimport.Report, error)) (*csvimport.Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	bar := progress.New(stderr, info.Size(), "import")
	opts.Progress = bar.Set
	rep, err := read(f, opts)
	if err != nil {
		return rep, err
	}
	bar.Finish(fmt.Sprintf("read %d rows", rep.Rows))
	return rep, nil
}

// reportRejects prints the first rejected rows and writes all of them to a
// file when there are more, so none is dropped silently.
func reportRejects(rep *csvimport.Report, path, rejectsPath string, stdout io.Writer) error {
	for i, e := range rep.Errors {
		if i == rejectsShown {
			break
		}
		fmt.Fprintf(stdout, "  rejected %s\n", e)
	}
	if rejectsPath == "" && len(rep.Errors) <= rejectsShown {
		return nil
	}
	if rejectsPath == "" {
		rejectsPath = "rapport-rejects-" + filepath.Base(path) + ".txt"
	}
	var b strings.Builder
	for _, e := range rep.Errors {
		fmt.Fprintf(&b, "%s\n", e)
	}
	if err := os.WriteFile(rejectsPath, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("write rejected rows: %w", err)
	}
	fmt.Fprintf(stdout, "all %d rejected rows, with line numbers and reasons: %s\n", len(rep.Errors), rejectsPath)
	return nil
}

// applyImported applies the log to profiles now, so the import is visible
// without a running server. A running server's processor may apply them
// first; the store's checkpoint check keeps every event applied once.
func applyImported(ctx context.Context, b *backend, stdout, stderr io.Writer) error {
	start := time.Now()
	n, err := processor.New(b.Log, b.Store, processor.Options{Logger: quietLogger(stderr)}).CatchUp(ctx)
	if err != nil {
		return fmt.Errorf("apply imported events: %w", err)
	}
	fmt.Fprintf(stdout, "applied %d events to profiles in %s\n", n, time.Since(start).Round(time.Millisecond))
	return nil
}

// parseFileArg parses flags given before or after the one file argument,
// as people write them either way.
func parseFileArg(fs *flag.FlagSet, args []string) (string, error) {
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	if fs.NArg() == 0 {
		return "", errors.New("want one FILE.csv")
	}
	path := fs.Arg(0)
	if err := fs.Parse(fs.Args()[1:]); err != nil {
		return "", err
	}
	if fs.NArg() > 0 {
		return "", fmt.Errorf("want one FILE.csv, got also %q", fs.Arg(0))
	}
	return path, nil
}

// Command rapport is Rapport's single binary: the server, and the tools to
// import, export, manage keys and measure.
//
//	rapport serve [--data DIR | --postgres URL] [--addr :8080] [--demo]
//	rapport import customers|orders|products FILE.csv [--map field=Column ...]
//	rapport export events [--data DIR | --postgres URL] [-o FILE]
//	rapport keys create|list|revoke ...
//	rapport users add|list|password|remove ...
//	rapport bench ingest|profiles ...
//	rapport model train|eval|split ...
//	rapport clv fit --transactions FILE.csv --calibration-end DATE
//	rapport report segments|economics|personas|rfm|serve-first [--format csv]
//	rapport cluster --data DIR | --postgres URL | --csv FILE [--k K | --kmin 2 --kmax 8]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// command is one subcommand of the CLI.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "run the server (tracking API, admin API, processor)", runServe},
		{"import", "import customers, orders or products from CSV", runImport},
		{"export", "export stored events as JSON lines", runExport},
		{"keys", "create, list and revoke write keys and admin tokens", runKeys},
		{"users", "add, list, remove dashboard users (email and password) and change passwords", runUsers},
		{"bench", "measure ingest throughput and latency, or profile memory", runBench},
		{"model", "train and measure conversion models (train, eval, split)", runModel},
		{"clv", "fit lifetime-value models (BG/NBD, Gamma-Gamma)", runCLV},
		{"cluster", "discover buckets with k-means (k by silhouette)", runCluster},
		{"report", "reports: segments, economics, personas, rfm, serve-first (JSON or CSV)", runReport},
		{"simulate", "simulate offer policies on synthetic customers", runSimulate},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "rapport:", err)
		os.Exit(1)
	}
}

// run dispatches args to a subcommand.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stderr)
		if len(args) == 0 {
			return errors.New("no command given")
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	usage(stderr)
	return fmt.Errorf("unknown command %q", args[0])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Rapport: customer intelligence in one binary.\n\nUsage: rapport COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'rapport COMMAND -h' for a command's flags.")
}

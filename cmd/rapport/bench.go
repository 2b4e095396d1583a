package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"runtime/pprof"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/bench"
	"github.com/rapportdev/rapport/config"
	"github.com/rapportdev/rapport/scoring"
)

func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("bench: want 'bench ingest', 'bench profiles', 'bench rescore', 'bench segments', 'bench offers', 'bench leads' or 'bench pipeline'")
	}
	switch args[0] {
	case "ingest":
		return benchIngest(ctx, args[1:], stdout, stderr)
	case "profiles":
		return benchProfiles(ctx, args[1:], stdout, stderr)
	case "rescore":
		return benchRescore(ctx, args[1:], stdout, stderr)
	case "segments":
		return benchSegments(ctx, args[1:], stdout, stderr)
	case "offers":
		return benchOffers(ctx, args[1:], stdout, stderr)
	case "leads":
		return benchLeads(ctx, args[1:], stdout, stderr)
	case "pipeline":
		return benchPipeline(ctx, args[1:], stdout, stderr)
	}
	return fmt.Errorf("bench: unknown benchmark %q (want ingest, profiles, rescore, segments, offers, leads or pipeline)", args[0])
}

// benchIngest drives the tracking API over loopback: a running server
// named by --url, or one started in this process on a fresh store.
func benchIngest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg bench.Config
	var sf storeFlags
	fs := flag.NewFlagSet("bench ingest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sf.register(fs)
	fs.StringVar(&cfg.URL, "url", "", "server to measure; empty starts one in this process on --data (default: a temporary directory) or --postgres")
	fs.StringVar(&cfg.WriteKey, "write-key", os.Getenv("RAPPORT_WRITE_KEY"), "write key for --url")
	fs.StringVar(&cfg.Mode, "mode", "batch", "batch: concurrent /v1/batch clients; rate: single /v1/track calls at --rate")
	fs.IntVar(&cfg.Concurrency, "concurrency", 16, "batch mode: concurrent clients")
	fs.IntVar(&cfg.BatchSize, "batch", 100, "batch mode: messages per request")
	fs.Float64Var(&cfg.Rate, "rate", 1000, "rate mode: requests per second")
	fs.DurationVar(&cfg.Duration, "duration", 10*time.Second, "how long to send")
	fs.IntVar(&cfg.Profiles, "profiles", 1_000_000, "distinct users the messages are spread over")
	fs.Int64Var(&cfg.Seed, "seed", 1, "random seed of the generated messages")
	fs.BoolVar(&cfg.Gzip, "gzip", false, "gzip request bodies")
	role := fs.String("role", roleAll, "role of the in-process server: all (applies events while taking them) or ingest (only takes them)")
	jsonOut := fs.String("json", "", "also write the result as JSON to this file")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of this process (load generator and, without --url, the server) to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	stopProfile, err := startCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	defer stopProfile()
	if cfg.URL == "" {
		stop, err := startBenchServer(ctx, &sf, *role, &cfg, stderr)
		if err != nil {
			return err
		}
		defer stop()
	}
	res, err := bench.Run(ctx, cfg, stderr)
	if err != nil {
		return fmt.Errorf("bench ingest: %w", err)
	}
	res.WriteText(stdout)
	if *jsonOut != "" {
		b, _ := json.MarshalIndent(res, "", "  ")
		if err := os.WriteFile(*jsonOut, b, 0o644); err != nil {
			return fmt.Errorf("bench ingest: %w", err)
		}
	}
	return nil
}

// startBenchServer runs the whole server stack in this process on a
// loopback port and points cfg at it. Load generator and server share the
// machine, as they would on one box in production.
func startBenchServer(ctx context.Context, sf *storeFlags, role string, cfg *bench.Config, stderr io.Writer) (stop func(), err error) {
	removeTemp, err := benchDataDir(sf)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			removeTemp()
		}
	}()
	b, err := sf.open(ctx)
	if err != nil {
		return nil, err
	}
	cfg.WriteKey = rapport.NewSecret("wk_")
	if err := ensureKey(ctx, b.Store, rapport.KeyWrite, "bench", cfg.WriteKey); err != nil {
		b.Close()
		return nil, err
	}
	logger := quietLogger(stderr)
	b2c, err := scoring.TemplateYAML("b2c")
	if err != nil {
		b.Close()
		return nil, err
	}
	srvCtx, cancel := context.WithCancel(ctx)
	ready := make(chan net.Addr, 1)
	done := make(chan error, 1)
	scfg := &serveConfig{store: *sf, addr: "127.0.0.1:0", drain: 5 * time.Second, role: role,
		decl: &declaration{cfg: &config.Config{}, model: b2c, source: "template b2c"}}
	go func() { done <- serve(srvCtx, scfg, b, logger, func(a net.Addr) { ready <- a }) }()
	select {
	case a := <-ready:
		cfg.URL = "http://" + a.String()
	case err := <-done:
		cancel()
		b.Close()
		return nil, fmt.Errorf("start bench server: %w", err)
	}
	fmt.Fprintf(stderr, "bench server: %s on %s, role %s\n", cfg.URL, sf.describe(), role)
	return func() {
		cancel()
		<-done
		b.Close()
		removeTemp()
	}, nil
}

// benchDataDir points sf at a new temporary directory when no store was
// named, so a benchmark never touches ./rapport-data; remove deletes it.
func benchDataDir(sf *storeFlags) (remove func(), err error) {
	if sf.postgres != "" || sf.data != "./rapport-data" {
		return func() {}, nil
	}
	dir, err := os.MkdirTemp("", "rapport-bench")
	if err != nil {
		return nil, err
	}
	sf.data = dir
	return func() { os.RemoveAll(dir) }, nil
}

// startCPUProfile profiles this process until stop is called; an empty
// path profiles nothing.
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

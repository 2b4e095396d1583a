package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"runtime"
	"slices"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/bench"
	"github.com/rapportdev/rapport/progress"
	"github.com/rapportdev/rapport/rescore"
	"github.com/rapportdev/rapport/scoring"
)

// rescoreReport is the JSON line bench rescore prints.
type rescoreReport struct {
	Profiles int    `json:"profiles"`
	Store    string `json:"store"`
	Cores    int    `json:"cores"`
	// FillSeconds reads every profile and score into memory (at start);
	// HotBytesPerProfile is the heap it keeps, measured after a GC.
	FillSeconds        float64 `json:"fill_seconds"`
	HotBytesPerProfile int64   `json:"hot_bytes_per_profile"`
	// ServedSeconds runs from the model change until every new score is
	// served from memory (the target); StoredSeconds until the
	// store holds them all (the write behind).
	ServedSeconds float64 `json:"served_seconds"`
	StoredSeconds float64 `json:"stored_seconds"`
	// ServedCPUSeconds is the CPU time the pass in memory took on all
	// cores: on a machine shared with other work the wall time above
	// depends on their load, this does not (the wall time on idle cores
	// is about this divided by the cores).
	ServedCPUSeconds float64 `json:"served_cpu_seconds"`
	Written          int     `json:"written"`
	// LeadsMillis is the median of the lead list's first page of 50 from
	// memory, unfiltered and filtered (grades A and B, engagement ≥ 20).
	LeadsMillis         float64 `json:"leads_ms"`
	LeadsFilteredMillis float64 `json:"leads_filtered_ms"`
	// StorePassSeconds is today's pass through the store, for comparison
	// (--store-pass).
	StorePassSeconds float64 `json:"store_pass_seconds,omitempty"`
}

// benchRescore measures rescoring N synthetic profiles after a model
// change: filled into memory as the server does at start, rescored there
// on every core, served from there, and written behind to the store.
func benchRescore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var sf storeFlags
	fs := flag.NewFlagSet("bench rescore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sf.register(fs)
	n := fs.Int("profiles", 1_000_000, "profiles to create and rescore")
	seed := fs.Uint64("seed", 1, "seed of the synthetic profiles")
	storePass := fs.Bool("store-pass", false, "also time a pass through the store (without memory), as before")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the pass in memory to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n < 1 {
		return fmt.Errorf("bench rescore: --profiles %d: want at least 1", *n)
	}
	removeTemp, err := benchDataDir(&sf)
	if err != nil {
		return err
	}
	defer removeTemp()
	b, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer b.Close()
	rep := rescoreReport{Profiles: *n, Store: sf.describe(), Cores: runtime.GOMAXPROCS(0)}
	now := time.Now().UTC()
	v1, err := scoring.B2C().WithVersion(1)
	if err != nil {
		return err
	}
	bar := progress.NewCount(stderr, int64(*n), "store scored profiles", "profiles")
	if err := seedScoredPeople(ctx, b.Store, rescore.NewLive(v1, rapport.SystemClock{}), *seed, *n, now, bar); err != nil {
		return err
	}
	bar.Finish("stored")

	live, hot := rescore.NewLive(v1, rapport.SystemClock{}), rescore.NewHot()
	live.UseHot(hot)
	if err := fillHot(ctx, b.Store, hot, *n, stderr, &rep); err != nil {
		return err
	}
	v2, err := scoring.B2C().WithVersion(2)
	if err != nil {
		return err
	}
	live.SetModel(v2)
	stop, err := startCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	cpu := bench.CPUTime()
	start := time.Now()
	_, _, err = hot.RescoreHot(ctx, v2, time.Now().UTC(), 0)
	rep.ServedSeconds = time.Since(start).Seconds()
	rep.ServedCPUSeconds = (bench.CPUTime() - cpu).Seconds()
	stop()
	if err != nil {
		return err
	}
	reader := &rescore.Scores{Hot: hot, Live: live, Store: b.Store}
	if rep.LeadsMillis, err = timeLeads(ctx, reader, rapport.LeadFilter{Limit: 50}); err != nil {
		return err
	}
	if rep.LeadsFilteredMillis, err = timeLeads(ctx, reader, rapport.LeadFilter{Grades: []string{"A", "B"}, MinEngagement: 20, Limit: 50}); err != nil {
		return err
	}
	bar = progress.NewCount(stderr, int64(*n), "write behind", "scores")
	prog := rescore.Progress{Elapsed: time.Since(start)}
	err = hot.WriteBehind(ctx, b.Store, v2, rescore.Options{Progress: func(p rescore.Progress) { bar.Set(int64(p.Written)) }}, &prog)
	bar.Finish("written")
	if err != nil {
		return err
	}
	rep.StoredSeconds, rep.Written = prog.Elapsed.Seconds(), prog.Written
	if *storePass {
		if rep.StorePassSeconds, err = timeStorePass(ctx, b.Store, *n, stderr); err != nil {
			return err
		}
	}
	return json.NewEncoder(stdout).Encode(rep)
}

// fillHot fills hot from the store and measures the heap it keeps.
func fillHot(ctx context.Context, store rapport.Store, hot *rescore.Hot, n int, stderr io.Writer, rep *rescoreReport) error {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	bar := progress.NewCount(stderr, int64(n), "fill memory", "profiles")
	start := time.Now()
	_, err := hot.Fill(ctx, store, rescore.Options{Progress: func(p rescore.Progress) { bar.Set(int64(p.Scanned)) }})
	rep.FillSeconds = time.Since(start).Seconds()
	bar.Finish("filled")
	if err != nil {
		return err
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	rep.HotBytesPerProfile = (int64(after.HeapAlloc) - int64(before.HeapAlloc)) / int64(hot.Len())
	return nil
}

// timeLeads returns the median time of a lead list page, in milliseconds.
func timeLeads(ctx context.Context, reader *rescore.Scores, f rapport.LeadFilter) (float64, error) {
	var times []float64
	for range 5 {
		start := time.Now()
		if _, _, err := reader.FindLeads(ctx, f); err != nil {
			return 0, fmt.Errorf("lead list: %w", err)
		}
		times = append(times, float64(time.Since(start).Microseconds())/1000)
	}
	slices.Sort(times)
	return times[len(times)/2], nil
}

// timeStorePass times a pass through the store with a third model
// version: every profile read, scored and written back.
func timeStorePass(ctx context.Context, store rapport.Store, n int, stderr io.Writer) (float64, error) {
	v3, err := scoring.B2C().WithVersion(3)
	if err != nil {
		return 0, err
	}
	bar := progress.NewCount(stderr, int64(n), "store pass", "profiles")
	prog, err := rescore.Pass(ctx, store, rescore.NewLive(v3, rapport.SystemClock{}),
		rescore.Options{Progress: func(p rescore.Progress) { bar.Set(int64(p.Scanned)) }})
	bar.Finish("store pass")
	return prog.Elapsed.Seconds(), err
}

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/processor"
	"github.com/rapportdev/rapport/progress"
	"github.com/rapportdev/rapport/rescore"
	"github.com/rapportdev/rapport/scoring"
)

// benchProfiles measures what holding profiles costs: the processor's
// in-memory state per million profiles (profiles and scoring state), the
// store's size on disk, and the apply rate with scoring, for N people who
// each identify with a few traits and view a page.
func benchProfiles(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var sf storeFlags
	fs := flag.NewFlagSet("bench profiles", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sf.register(fs)
	n := fs.Int("profiles", 200_000, "profiles to create")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the run to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	stopProfile, err := startCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	defer stopProfile()
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
	appendStart := time.Now()
	if err := appendPeople(ctx, b.Log, *n, stderr); err != nil {
		return err
	}
	appendTook := time.Since(appendStart)

	before := heapInUse()
	// Scored with the b2c template, as serve does: the real apply path.
	proc := processor.New(b.Log, b.Store, processor.Options{CacheSize: *n + 1, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Scorer: rescore.NewLive(scoring.B2C(), rapport.SystemClock{})})
	applyStart := time.Now()
	applied, err := proc.CatchUp(ctx)
	if err != nil {
		return fmt.Errorf("bench profiles: apply: %w", err)
	}
	applyTook := time.Since(applyStart)
	held := heapInUse() - before
	runtime.KeepAlive(proc)

	fmt.Fprintf(stdout, "profiles:            %d (%d events)\n", *n, applied)
	fmt.Fprintf(stdout, "append:              %s (%.0f events/s)\n", appendTook.Round(time.Millisecond), float64(2**n)/appendTook.Seconds())
	fmt.Fprintf(stdout, "apply:               %s (%.0f events/s)\n", applyTook.Round(time.Millisecond), float64(applied)/applyTook.Seconds())
	fmt.Fprintf(stdout, "memory held:         %.1f MiB (%.0f bytes/profile, %.2f GiB per million)\n",
		float64(held)/(1<<20), float64(held)/float64(*n), float64(held)/float64(*n)*1e6/(1<<30))
	if sf.postgres == "" {
		if size, err := dirSize(sf.data); err == nil {
			fmt.Fprintf(stdout, "on disk (sqlite):    %.1f MiB (%.2f GiB per million profiles)\n",
				float64(size)/(1<<20), float64(size)/float64(*n)*1e6/(1<<30))
		}
	}
	return nil
}

// appendPeople appends an identify and a page view for each of n people.
func appendPeople(ctx context.Context, log rapport.EventLog, n int, stderr io.Writer) error {
	bar := progress.New(stderr, int64(n), "append")
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	batch := make([]rapport.Event, 0, 5000)
	for i := range n {
		batch = append(batch, personEvents(i, at.Add(time.Duration(i)*time.Second))...)
		if len(batch) >= 5000 || i == n-1 {
			if err := log.Append(ctx, batch); err != nil {
				return fmt.Errorf("bench profiles: append: %w", err)
			}
			batch = batch[:0]
			bar.Set(int64(i + 1))
		}
	}
	bar.Finish(fmt.Sprintf("appended %d people", n))
	return nil
}

func personEvents(i int, at time.Time) []rapport.Event {
	user, anon := fmt.Sprintf("user-%d", i), fmt.Sprintf("anon-%d", i)
	return []rapport.Event{{
		MessageID: fmt.Sprintf("bench-id-%d", i), Type: rapport.EventIdentify, UserID: user, AnonymousID: anon,
		Traits: map[string]any{"email": fmt.Sprintf("person%d@example.com", i), "first_name": "Sam", "age": 20 + i%50,
			"city": []string{"Leeds", "Lyon", "Porto", "Ghent"}[i%4], "plan": []string{"free", "pro"}[i%2]},
		Context: map[string]any{"library": map[string]any{"name": "analytics.js"}}, Timestamp: at, ReceivedAt: at,
	}, {
		MessageID: fmt.Sprintf("bench-pv-%d", i), Type: rapport.EventPage, AnonymousID: anon, Name: "Home",
		Properties: map[string]any{"url": "https://shop.example/"},
		Context:    map[string]any{"library": map[string]any{"name": "analytics.js"}}, Timestamp: at.Add(time.Second), ReceivedAt: at,
	}}
}

func heapInUse() int64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapInuse)
}

func dirSize(dir string) (int64, error) {
	var total int64
	err := filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			total += info.Size()
		}
		return err
	})
	return total, err
}

package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"sync"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/progress"
	"github.com/rapportdev/rapport/rescore"
	"github.com/rapportdev/rapport/scoring"
)

// rescoreReport is the JSON line bench rescore prints.
type rescoreReport struct {
	Profiles int    `json:"profiles"`
	Store    string `json:"store"`
	// ComputeSeconds is scoring every profile held in memory, on every
	// core: the pass without the store.
	ComputeSeconds float64 `json:"compute_seconds"`
	// FirstPassSeconds scores profiles that have no score yet (inserts);
	// PassSeconds rescores them all after a model change (updates), the
	// case the target is about.
	FirstPassSeconds float64 `json:"first_pass_seconds"`
	PassSeconds      float64 `json:"pass_seconds"`
	PassPerSecond    float64 `json:"pass_profiles_per_second"`
	Written          int     `json:"written"`
	Cores            int     `json:"cores"`
}

// benchRescore measures a rescoring pass over N synthetic profiles: once
// through the store, as the server runs it, and once over the same
// profiles in memory, to separate scoring from storage.
func benchRescore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var sf storeFlags
	fs := flag.NewFlagSet("bench rescore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sf.register(fs)
	n := fs.Int("profiles", 1_000_000, "profiles to create and rescore")
	seed := fs.Uint64("seed", 1, "seed of the synthetic profiles")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the pass to this file")
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
	now := time.Now().UTC()
	rep := rescoreReport{Profiles: *n, Store: sf.describe(), Cores: runtime.GOMAXPROCS(0)}

	people := syntheticPeople(*seed, *n, now)
	live := rescore.NewLive(scoring.B2C(), rapport.SystemClock{})
	start := time.Now()
	if err := scoreInMemory(live, people); err != nil {
		return err
	}
	rep.ComputeSeconds = time.Since(start).Seconds()

	bar := progress.NewCount(stderr, int64(*n), "store profiles", "profiles")
	for lo := 0; lo < len(people); lo += 5000 {
		c := rapport.Changes{Profiles: people[lo:min(lo+5000, len(people))], Base: int64(lo / 5000), Checkpoint: int64(lo/5000 + 1)}
		if err := b.Store.ApplyChanges(ctx, c); err != nil {
			return fmt.Errorf("store profiles: %w", err)
		}
		bar.Add(int64(len(c.Profiles)))
	}
	bar.Finish("stored")
	people = nil

	pass := func(label string) (rescore.Progress, error) {
		bar := progress.NewCount(stderr, int64(*n), label, "profiles")
		prog, err := rescore.Pass(ctx, b.Store, live, rescore.Options{Progress: func(p rescore.Progress) { bar.Set(int64(p.Scanned)) }})
		bar.Finish(label)
		return prog, err
	}
	first, err := pass("first pass")
	if err != nil {
		return err
	}
	rep.FirstPassSeconds = first.Elapsed.Seconds()
	// A model change: every stored score is replaced.
	m, err := scoring.B2C().WithVersion(2)
	if err != nil {
		return err
	}
	live.SetModel(m)
	stopProfile, err := startCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	second, err := pass("rescore")
	stopProfile()
	if err != nil {
		return err
	}
	rep.PassSeconds, rep.Written = second.Elapsed.Seconds(), second.Written
	rep.PassPerSecond = float64(second.Scanned) / second.Elapsed.Seconds()
	return json.NewEncoder(stdout).Encode(rep)
}

// scoreInMemory rescores every profile on every core, as a pass's
// workers do, with nothing read or written.
func scoreInMemory(live *rescore.Live, people []*rapport.Profile) error {
	workers := runtime.GOMAXPROCS(0)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(people); i += workers {
				if _, _, err := live.Rescore(people[i], nil); err != nil {
					errs[w] = err
					return
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// syntheticPeople returns n people shaped like a shop's: traits the b2c
// model reads, about half of them customers with an order history.
func syntheticPeople(seed uint64, n int, now time.Time) []*rapport.Profile {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	genders := []string{"female", "male", "nonbinary"}
	occupations := []string{"teacher", "engineer", "nurse", "student", "retired", "manager"}
	channels := []string{"web", "mobile", "in-store", "phone"}
	out := make([]*rapport.Profile, n)
	for i := range out {
		created := now.Add(-time.Duration(r.IntN(3*365*24)) * time.Hour)
		last := created.Add(time.Duration(r.Int64N(int64(now.Sub(created)) + 1)))
		p := &rapport.Profile{ID: fmt.Sprintf("p_%08d", i), Kind: rapport.ProfilePerson,
			Traits: map[string]any{"email": fmt.Sprintf("person%d@example.com", i), "age": float64(18 + r.IntN(60)),
				"gender": genders[r.IntN(len(genders))], "income": float64(15000 + r.IntN(150000)),
				"occupation": occupations[r.IntN(len(occupations))], "children": float64(r.IntN(4))},
			CreatedAt: created, UpdatedAt: last}
		a := &p.Aggregates
		a.FirstSeen, a.LastSeen = created, last
		a.Events = map[string]int64{"identify": 1, "page": int64(1 + r.IntN(40))}
		a.Channels = map[string]int64{channels[r.IntN(len(channels))]: int64(1 + r.IntN(40))}
		a.PageViews = a.Events["page"]
		if r.IntN(2) == 0 {
			orders := int64(1 + r.IntN(12))
			a.Events[rapport.EventOrderCompleted] = orders
			a.Orders, a.Revenue = orders, float64(orders)*(20+r.Float64()*180)
			a.AverageOrderValue = a.Revenue / float64(orders)
			a.FirstOrderAt, a.LastOrderAt = created, last
			a.PurchaseChannels = map[string]int64{channels[r.IntN(len(channels))]: orders}
			a.Categories = map[string]float64{"books": a.Revenue / 2, "music": a.Revenue / 2}
		}
		out[i] = p
	}
	return out
}

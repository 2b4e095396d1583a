package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/scoring"
)

// hotStatus is what the tests read of the rescoring status's hot state.
type hotStatus struct {
	rescoreStatus
	InMemory bool
	Served   time.Duration
	Hot      struct {
		Profiles       int
		Filled         bool
		ServingVersion int
	}
}

// TestRescoreServedFromMemoryWhileIngesting replaces the scoring model of
// a server that keeps receiving events. Once the pass in memory is done,
// the score endpoint and the lead list serve the new model's scores, the
// lead list stays ranked, and the store catches up (written behind). Then
// the model changes again and the server is killed (SIGKILL) as soon as
// the new scores are served from memory: after a restart the store holds
// every score of the newest model.
func TestRescoreServedFromMemoryWhileIngesting(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes; skipped with -short")
	}
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			storeArgs := backendArgs(t, backend)
			rescoreWhileIngesting(t, storeArgs)
		})
	}
}

func rescoreWhileIngesting(t *testing.T, storeArgs []string) {
	args := append([]string{"--demo", "--profile-rate", "1000000", "--profile-burst", "1000000"}, storeArgs...)
	srv := startServer(t, args...)
	waitHot(t, srv.URL, 1)
	waitAllApplied(t, srv)

	load := newBatchLoad(srv.URL, 3, 20)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	load.run(ctx, &wg)
	defer func() { cancel(); wg.Wait() }()

	putModel(t, srv.URL, 2)
	st := waitHot(t, srv.URL, 2)
	if !st.InMemory && st.Running {
		t.Logf("served from memory before the pass's status caught up: %+v", st)
	}
	var leads struct {
		Leads []struct {
			ProfileID string
			Priority  float64
		}
		Total int
	}
	if adminGet(t, srv.URL+"/api/v1/leads?limit=100", &leads) != http.StatusOK || leads.Total < 100 {
		t.Fatalf("lead list after the change: %d leads", leads.Total)
	}
	for i, l := range leads.Leads {
		if i > 0 && l.Priority > leads.Leads[i-1].Priority {
			t.Fatalf("lead list not ranked: #%d has priority %v after %v", i, l.Priority, leads.Leads[i-1].Priority)
		}
		var sc struct {
			Version  int
			Priority float64
		}
		if adminGet(t, srv.URL+"/api/v1/profiles/"+l.ProfileID+"/score", &sc) != http.StatusOK || sc.Version != 2 {
			t.Fatalf("score of lead %s has model version %d, want 2", l.ProfileID, sc.Version)
		}
	}
	if load.acked.Load() == 0 {
		t.Log("no batch acknowledged yet while rescoring")
	}
	st = waitRescored2(t, srv.URL, "model version 2")
	// The load's users may be new, or stored by the processor after the
	// pass (their newer scores win over the pass's).
	if !st.InMemory || st.Scanned < leads.Total-load.clients || st.Written < st.Scanned-load.clients {
		t.Fatalf("pass after the change: %+v; want about %d rescored in memory and written behind", st, leads.Total)
	}
	cancel()
	wg.Wait()
	waitAllApplied(t, srv)
	srv.stop(t)
	checkStoredVersion(t, storeArgs, 2)

	// A crash once the new scores are served, before they may be stored.
	srv = startServer(t, args...)
	waitHot(t, srv.URL, 2)
	putModel(t, srv.URL, 3)
	waitHot(t, srv.URL, 3)
	srv.kill()
	srv = startServer(t, storeArgs...)
	if st := waitRescored2(t, srv.URL, "start"); st.ModelVersion != 3 || !st.InMemory {
		t.Fatalf("start after the crash: %+v; want model version 3 rescored in memory", st)
	}
	srv.stop(t)
	checkStoredVersion(t, storeArgs, 3)
}

// putModel replaces the model with the b2c template weighted differently,
// which the server stores as version want.
func putModel(t *testing.T, url string, want int) {
	t.Helper()
	b2c, err := scoring.TemplateYAML("b2c")
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(b2c), "  fit: 0.3\n  engagement: 0.35\n", fmt.Sprintf("  fit: 0.%d\n  engagement: 0.2\n", 3+want), 1)
	if code, body := adminPut(t, url+"/api/v1/scoring/model", edited); code != http.StatusOK || !strings.Contains(body, fmt.Sprintf(`"version":%d`, want)) {
		t.Fatalf("PUT model: %d %s; want version %d", code, body, want)
	}
}

// waitHot waits until the scores of model version are served from memory.
func waitHot(t *testing.T, url string, version int) hotStatus {
	t.Helper()
	var st hotStatus
	waitFor(t, 60*time.Second, func() bool {
		return adminGet(t, url+"/api/v1/scoring/rescore", &st) == http.StatusOK && st.Hot.Filled && st.Hot.ServingVersion == version
	})
	return st
}

// waitRescored2 waits until the pass for reason has finished, written
// behind, and returns its status.
func waitRescored2(t *testing.T, url, reason string) hotStatus {
	t.Helper()
	var st hotStatus
	waitFor(t, 60*time.Second, func() bool {
		return adminGet(t, url+"/api/v1/scoring/rescore", &st) == http.StatusOK && !st.Running && st.Reason == reason
	})
	if st.Error != "" {
		t.Fatalf("pass %q failed: %s", reason, st.Error)
	}
	return st
}

// checkStoredVersion opens the stopped server's store and checks that
// every stored score is of model version want.
func checkStoredVersion(t *testing.T, storeArgs []string, want int) {
	t.Helper()
	var sf storeFlags
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	sf.register(fs)
	if err := fs.Parse(storeArgs); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	b, err := sf.open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	leads, total, err := b.Store.FindLeads(ctx, rapport.LeadFilter{Limit: 1000})
	if err != nil || total < 100 || len(leads) != min(total, 1000) {
		t.Fatalf("stored leads: %d of %d, %v", len(leads), total, err)
	}
	for _, rec := range leads {
		var st scoring.State
		if err := json.Unmarshal(rec.State, &st); err != nil || st.Version != want {
			t.Fatalf("stored score of %s has model version %d (%v), want %d", rec.ProfileID, st.Version, err, want)
		}
	}
}

package main

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rapportdev/rapport/postgres"
)

// TestRunLeasedSurvivesStoreErrors: a process that cannot reach the
// store stops the jobs it runs (its lease runs out) and keeps trying,
// rather than crashing; one that held no lease has nothing to stop.
func TestRunLeasedSurvivesStoreErrors(t *testing.T) {
	args := backendArgs(t, "postgres")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pg, err := postgres.Open(ctx, args[1])
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	var started, stopped atomic.Int64
	jobs := func(context.Context, bool) func() {
		started.Add(1)
		return func() { stopped.Add(1) }
	}
	done := make(chan error, 2)
	go func() { done <- runLeased(ctx, pg, "background", "holder", 600*time.Millisecond, logger, jobs) }()
	waitFor(t, 10*time.Second, func() bool { return started.Load() == 1 })
	// Another process waits for the lease, holding none.
	go func() { done <- runLeased(ctx, pg, "background", "waiter", 600*time.Millisecond, logger, jobs) }()
	time.Sleep(300 * time.Millisecond)
	pg.Close() // the database goes away under both
	waitFor(t, 10*time.Second, func() bool { return stopped.Load() == 1 })
	time.Sleep(500 * time.Millisecond) // more failed renewals: nothing to stop, no panic
	cancel()
	for range 2 {
		if err := <-done; err != nil {
			t.Errorf("runLeased: %v", err)
		}
	}
	if s, p := started.Load(), stopped.Load(); s != 1 || p != 1 {
		t.Errorf("jobs started %d times, stopped %d; want once each", s, p)
	}
}

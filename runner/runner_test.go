package runner_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rapportdev/rapport/runner"
)

func TestStartStopsTheRunningJob(t *testing.T) {
	var r runner.Runner
	if r.Running() {
		t.Fatal("a new runner runs something")
	}
	r.Wait() // nothing to wait for
	var stopped atomic.Bool
	started := make(chan struct{})
	r.Start(nil, func(ctx context.Context) {
		close(started)
		<-ctx.Done()
		stopped.Store(true)
	})
	<-started
	if !r.Running() {
		t.Fatal("not running after Start")
	}
	var second atomic.Bool
	var prepared bool
	r.Start(func() { prepared = stopped.Load() }, func(context.Context) { second.Store(true) })
	if !prepared {
		t.Fatal("prepare ran before the first job stopped")
	}
	if !stopped.Load() {
		t.Fatal("the first job was not stopped before the second started")
	}
	r.Wait()
	if !second.Load() || r.Running() {
		t.Fatal("the second job did not run to its end")
	}
	r.Close()
}

func TestEverySkipsWhileRunning(t *testing.T) {
	var r runner.Runner
	release := make(chan struct{})
	r.Start(nil, func(context.Context) { <-release })
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Millisecond)
	defer cancel()
	var starts atomic.Int32
	r.Every(ctx, 5*time.Millisecond, func() { starts.Add(1) })
	if starts.Load() != 0 {
		t.Fatalf("the schedule started %d jobs while one was running", starts.Load())
	}
	close(release)
	r.Wait()
	ctx2, cancel2 := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel2()
	r.Every(ctx2, 5*time.Millisecond, func() { starts.Add(1) })
	if starts.Load() == 0 {
		t.Fatal("the schedule never started a job once idle")
	}
}

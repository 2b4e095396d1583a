package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/nats"
	"github.com/rapportdev/rapport/postgres"
	"github.com/rapportdev/rapport/processor"
	"github.com/rapportdev/rapport/rescore"
	"github.com/rapportdev/rapport/worker"
)

// defaultPartitions is the number of log partitions a partitioned
// deployment starts with when --partitions is not given.
const defaultPartitions = 8

// routeByOwner routes each event to the partition owning the profile its
// userId, else its anonymousId, is held by; an event of nobody known yet
// goes to the partition of its routing key. The lookup is a hint: workers
// forward what arrives on the wrong partition.
func routeByOwner(pg *postgres.Store, n int) func(context.Context, []rapport.Event) ([]int, error) {
	return func(ctx context.Context, events []rapport.Event) ([]int, error) {
		var ids []rapport.Identity
		for i := range events {
			ids = append(ids, eventIdentities(&events[i])...)
		}
		owned, err := pg.FindIdentityPartitions(ctx, ids)
		if err != nil {
			return nil, err
		}
		parts := make([]int, len(events))
		for i := range events {
			parts[i] = rapport.PartitionOf(rapport.RoutingKey(&events[i]), n)
			for _, id := range eventIdentities(&events[i]) {
				if p, ok := owned[id]; ok {
					parts[i] = p
					break
				}
			}
		}
		return parts, nil
	}
}

// eventIdentities returns the event's userId and anonymousId identities,
// in that order.
func eventIdentities(ev *rapport.Event) []rapport.Identity {
	var out []rapport.Identity
	if id, ok := rapport.NewIdentity(rapport.IdentityUserID, ev.UserID); ok {
		out = append(out, id)
	}
	if id, ok := rapport.NewIdentity(rapport.IdentityAnonymousID, ev.AnonymousID); ok {
		out = append(out, id)
	}
	return out
}

// workerID names this process in leases: host, pid and start time.
func workerID() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s-%d-%d", host, os.Getpid(), time.Now().UnixNano())
}

// partitionWorker applies the partitions a worker process holds, with one
// processor each, sharing the scorer and the segmenter.
type partitionWorker struct {
	id     string
	pg     *postgres.Store
	log    *nats.Log
	opts   processor.Options
	logger *slog.Logger
	// eraser takes erasure requests of the admin API (worker_erase.go).
	eraser *partitionedEraser
	// forget, when set, writes the offer decisions this process queued and
	// forgets what it holds of a person, before and after an erasure.
	forget func(ctx context.Context, profileID string) error

	mu    sync.Mutex
	procs map[int]*processor.Processor
}

// newPartitionWorker checks the backend is the partitioned one.
func newPartitionWorker(b *backend, opts processor.Options, logger *slog.Logger) (*partitionWorker, error) {
	pg, ok := b.Store.(*postgres.Store)
	if !ok {
		return nil, fmt.Errorf("--role worker needs --postgres")
	}
	log, ok := b.Log.(*nats.Log)
	if !ok {
		return nil, fmt.Errorf("--role worker needs --nats")
	}
	eraser, ok := newPartitionedEraser(b, nil)
	if !ok {
		return nil, fmt.Errorf("--role worker needs --partitions")
	}
	return &partitionWorker{id: workerID(), pg: pg, log: log, opts: opts, logger: logger, eraser: eraser,
		procs: map[int]*processor.Processor{}}, nil
}

// forgetPeople sets what the worker calls before and after erasing a
// person, here and when it erases at a partition's control message.
func (w *partitionWorker) forgetPeople(forget func(ctx context.Context, profileID string) error) {
	w.forget, w.eraser.forget = forget, forget
}

// apply runs partition p's processor under the lease of epoch, and the
// control messages (erasures) its reads reach.
func (w *partitionWorker) apply(ctx context.Context, p int, epoch int64) error {
	opts := w.opts
	opts.Partition = &processor.Partition{ID: p, Owner: w.id, Epoch: epoch, Store: w.pg,
		Publish: func(ctx context.Context, fwds []rapport.Forward) error { return w.log.Forward(ctx, p, fwds) }}
	reached := make(chan reachedControl, 1)
	events := w.log.PartitionControlled(p, func(after int64, c nats.Control) {
		// Told again at every read while it waits: never block a read.
		select {
		case reached <- reachedControl{after: after, c: c}:
		default:
		}
	})
	defer events.Close()
	proc := processor.New(events, w.pg, opts)
	cctx, stop := context.WithCancel(ctx)
	var controls sync.WaitGroup
	controls.Go(func() { w.controls(cctx, p, epoch, proc, reached) })
	defer controls.Wait()
	defer stop()
	w.mu.Lock()
	w.procs[p] = proc
	w.mu.Unlock()
	defer func() {
		w.mu.Lock()
		delete(w.procs, p)
		w.mu.Unlock()
	}()
	return proc.Run(ctx)
}

// Forget passes on to every running processor what a pass rewrote.
func (w *partitionWorker) Forget(ids []string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, p := range w.procs {
		p.Forget(ids)
	}
}

// Applied returns the highest seq the running processors have applied
// (each partition has its own checkpoint; seqs are the stream's).
func (w *partitionWorker) Applied() int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	var n int64
	for _, p := range w.procs {
		n = max(n, p.Applied())
	}
	return n
}

// Erase erases a person through the partition owning the profile, which
// may be applied by another worker (worker_erase.go).
func (w *partitionWorker) Erase(ctx context.Context, profileID string) (*rapport.Erasure, error) {
	return w.eraser.Erase(ctx, profileID)
}

// run holds leases and applies partitions until ctx is done.
func (w *partitionWorker) run(ctx context.Context, ttl time.Duration) error {
	return worker.New(worker.Config{ID: w.id, TTL: ttl, Leases: w.pg, Apply: w.apply, Logger: w.logger}).Run(ctx)
}

// runLeased runs jobs while this process holds the named lease, so that
// only one process of the deployment runs them: stopped when the lease is
// lost, started again when it is regained.
func runLeased(ctx context.Context, pg *postgres.Store, name, owner string, ttl time.Duration, logger *slog.Logger, jobs func(ctx context.Context, takenOver bool) (stop func())) error {
	var stop func()
	defer func() {
		if stop != nil {
			stop()
			_ = pg.ReleaseLease(context.WithoutCancel(ctx), name, owner)
		}
	}()
	tick := time.NewTicker(ttl / 3)
	defer tick.Stop()
	for {
		held, takenOver, err := pg.AcquireLease(ctx, name, owner, ttl)
		switch {
		case err != nil && ctx.Err() == nil:
			// Not renewed, so it runs out: stop as if it were lost.
			logger.Error("lease", "name", name, "err", err)
			if stop != nil {
				logger.Info("lease lost", "name", name)
				stop()
				stop = nil
			}
		case err != nil:
			// Shutting down: the deferred stop ends the jobs.
		case !held && stop != nil:
			logger.Info("lease lost", "name", name)
			stop()
			stop = nil
		case held && stop == nil:
			logger.Info("lease acquired", "name", name, "owner", owner, "taken_over", takenOver)
			stop = jobs(ctx, takenOver)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// backgroundJobs returns the jobs one process of the partitioned
// deployment runs: the webhook dispatcher, the rescoring and segment
// passes, the lead SLA watcher and the offers' ignore sweep and trim. The start pass runs when the lease was
// free (a deployment starting), not when it is taken over from a holder
// that died: that one ran it, the schedule runs the next, and a pass in
// the middle of traffic can undo memberships the processors just wrote
// (docs/scaling.md).
func backgroundJobs(keeper *rescore.Keeper, every time.Duration, dispatch, watch, offerUpkeep func(context.Context) error, logger *slog.Logger) func(ctx context.Context, takenOver bool) (stop func()) {
	return func(ctx context.Context, takenOver bool) func() {
		stops := []func(){
			runInBackground(ctx, "webhook dispatcher", dispatch, logger),
			runInBackground(ctx, "lead SLA watcher", watch, logger),
			runInBackground(ctx, "offer ignores and retention", offerUpkeep, logger),
		}
		if !takenOver {
			keeper.Start("start")
		}
		if every > 0 {
			stops = append(stops, runInBackground(ctx, "rescoring schedule", func(ctx context.Context) error {
				keeper.Every(ctx, every)
				return nil
			}, logger))
		}
		return func() {
			for _, s := range stops {
				s()
			}
		}
	}
}

// Package worker runs a worker process of the partitioned deployment
// (`rapport serve --role worker`, docs/scaling.md): it keeps a heartbeat,
// holds leases on a fair share of the log's partitions, and runs one
// processor per partition it holds. When workers start or die the shares
// change: a worker above its share releases partitions, one below it
// claims free or expired ones. A lease's epoch fences the processor's
// writes, so a worker that lost a lease (paused, cut off) cannot write.
package worker

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/rapportdev/rapport"
)

// Leases is what the worker needs of the store (postgres.Store).
type Leases interface {
	// Heartbeat records the worker as live for ttl and returns how many
	// workers are live.
	Heartbeat(ctx context.Context, worker string, ttl time.Duration) (int, error)
	// LeaveWorkers forgets the worker.
	LeaveWorkers(ctx context.Context, worker string) error
	// PartitionLeases returns every partition's lease.
	PartitionLeases(ctx context.Context) ([]rapport.PartitionLease, error)
	// ClaimPartition takes a free or expired lease with the next epoch.
	ClaimPartition(ctx context.Context, partition int, worker string, ttl time.Duration) (int64, bool, error)
	// RenewPartition extends a lease; false when it was lost.
	RenewPartition(ctx context.Context, partition int, worker string, epoch int64, ttl time.Duration) (bool, error)
	// ReleasePartition gives a lease up.
	ReleasePartition(ctx context.Context, partition int, worker string, epoch int64) error
}

// Config configures a worker.
type Config struct {
	// ID names the worker in leases; unique per process.
	ID string
	// TTL is how long a lease lasts without renewal; the worker renews
	// every TTL/3. A dead worker's partitions move after at most TTL.
	TTL    time.Duration
	Leases Leases
	// Apply applies the partition under the lease of epoch until ctx is
	// done (a processor's Run).
	Apply  func(ctx context.Context, partition int, epoch int64) error
	Logger *slog.Logger
}

// held is a partition this worker runs.
type held struct {
	epoch int64
	stop  context.CancelFunc
	done  chan struct{}
}

// Worker holds partitions and runs their processors.
type Worker struct {
	cfg  Config
	mu   sync.Mutex
	held map[int]*held
}

// New returns a worker; Run starts it.
func New(cfg Config) *Worker {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.TTL <= 0 {
		cfg.TTL = 10 * time.Second
	}
	return &Worker{cfg: cfg, held: map[int]*held{}}
}

// Held returns the partitions the worker holds, sorted.
func (w *Worker) Held() []int {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]int, 0, len(w.held))
	for p := range w.held {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// Run balances and renews leases until ctx is done, then stops the
// processors and releases the leases. A failing store is logged and tried
// again next round: the leases then run out, which is what should happen
// to a worker cut off from the store.
func (w *Worker) Run(ctx context.Context) error {
	defer w.stopAll()
	tick := time.NewTicker(w.cfg.TTL / 3)
	defer tick.Stop()
	for {
		if err := w.round(ctx); err != nil && ctx.Err() == nil {
			w.cfg.Logger.Error("worker: lease round", "worker", w.cfg.ID, "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// round renews the held leases, then releases or claims partitions
// towards ceil(partitions / live workers).
func (w *Worker) round(ctx context.Context) error {
	live, err := w.cfg.Leases.Heartbeat(ctx, w.cfg.ID, w.cfg.TTL)
	if err != nil {
		return err
	}
	if err := w.renew(ctx); err != nil {
		return err
	}
	leases, err := w.cfg.Leases.PartitionLeases(ctx)
	if err != nil {
		return err
	}
	share := (len(leases) + max(live, 1) - 1) / max(live, 1)
	mine := w.Held()
	for len(mine) > share {
		p := mine[len(mine)-1]
		mine = mine[:len(mine)-1]
		if err := w.release(ctx, p); err != nil {
			return err
		}
	}
	for _, l := range leases {
		if len(mine) >= share {
			break
		}
		if l.Live || slices.Contains(mine, l.Partition) {
			continue
		}
		epoch, ok, err := w.cfg.Leases.ClaimPartition(ctx, l.Partition, w.cfg.ID, w.cfg.TTL)
		if err != nil {
			return err
		}
		if ok {
			w.start(ctx, l.Partition, epoch)
			mine = append(mine, l.Partition)
		}
	}
	return nil
}

// renew extends every held lease; a lease lost stops its processor.
func (w *Worker) renew(ctx context.Context) error {
	for _, p := range w.Held() {
		w.mu.Lock()
		h := w.held[p]
		w.mu.Unlock()
		ok, err := w.cfg.Leases.RenewPartition(ctx, p, w.cfg.ID, h.epoch, w.cfg.TTL)
		if err != nil {
			return err
		}
		if !ok {
			w.cfg.Logger.Warn("worker: lease lost", "worker", w.cfg.ID, "partition", p, "epoch", h.epoch)
			w.stop(p)
		}
	}
	return nil
}

// start runs the partition's processor under the lease.
func (w *Worker) start(ctx context.Context, p int, epoch int64) {
	pctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	h := &held{epoch: epoch, stop: cancel, done: make(chan struct{})}
	w.mu.Lock()
	w.held[p] = h
	w.mu.Unlock()
	w.cfg.Logger.Info("worker: partition claimed", "worker", w.cfg.ID, "partition", p, "epoch", epoch)
	go func() {
		defer close(h.done)
		if err := w.cfg.Apply(pctx, p, epoch); err != nil {
			w.cfg.Logger.Error("worker: partition stopped", "partition", p, "err", err)
		}
	}()
}

// stop stops the partition's processor and waits for it.
func (w *Worker) stop(p int) *held {
	w.mu.Lock()
	h := w.held[p]
	delete(w.held, p)
	w.mu.Unlock()
	if h != nil {
		h.stop()
		<-h.done
	}
	return h
}

// release stops the partition's processor, then gives the lease up.
func (w *Worker) release(ctx context.Context, p int) error {
	h := w.stop(p)
	if h == nil {
		return nil
	}
	w.cfg.Logger.Info("worker: partition released", "worker", w.cfg.ID, "partition", p)
	if err := w.cfg.Leases.ReleasePartition(ctx, p, w.cfg.ID, h.epoch); err != nil {
		return fmt.Errorf("release partition %d: %w", p, err)
	}
	return nil
}

// stopAll releases every partition at shutdown.
func (w *Worker) stopAll() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, p := range w.Held() {
		if err := w.release(ctx, p); err != nil {
			w.cfg.Logger.Error("worker: release at shutdown", "err", err)
		}
	}
	if err := w.cfg.Leases.LeaveWorkers(ctx, w.cfg.ID); err != nil {
		w.cfg.Logger.Error("worker: leave at shutdown", "err", err)
	}
}

package worker

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
)

// fakeLeases keeps leases in memory; expired is flipped by the test
// instead of waiting for time to pass.
type fakeLeases struct {
	mu      sync.Mutex
	n       int
	owner   map[int]string
	epoch   map[int]int64
	workers map[string]bool
}

func newFakeLeases(n int) *fakeLeases {
	return &fakeLeases{n: n, owner: map[int]string{}, epoch: map[int]int64{}, workers: map[string]bool{}}
}

func (f *fakeLeases) Heartbeat(_ context.Context, w string, _ time.Duration) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.workers[w] = true
	return len(f.workers), nil
}

func (f *fakeLeases) LeaveWorkers(_ context.Context, w string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.workers, w)
	return nil
}

func (f *fakeLeases) PartitionLeases(context.Context) ([]rapport.PartitionLease, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []rapport.PartitionLease
	for p := range f.n {
		out = append(out, rapport.PartitionLease{Partition: p, Owner: f.owner[p], Epoch: f.epoch[p], Live: f.owner[p] != ""})
	}
	return out, nil
}

func (f *fakeLeases) ClaimPartition(_ context.Context, p int, w string, _ time.Duration) (int64, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.owner[p] != "" {
		return 0, false, nil
	}
	f.owner[p] = w
	f.epoch[p]++
	return f.epoch[p], true, nil
}

func (f *fakeLeases) RenewPartition(_ context.Context, p int, w string, e int64, _ time.Duration) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.owner[p] == w && f.epoch[p] == e, nil
}

func (f *fakeLeases) ReleasePartition(_ context.Context, p int, w string, e int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.owner[p] == w && f.epoch[p] == e {
		delete(f.owner, p)
	}
	return nil
}

// expire ends every lease of a worker that died, and forgets it.
func (f *fakeLeases) expire(w string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for p, o := range f.owner {
		if o == w {
			delete(f.owner, p)
		}
	}
	delete(f.workers, w)
}

// newTestWorker returns a worker whose processors wait for their stop.
func newTestWorker(id string, l Leases) *Worker {
	return New(Config{ID: id, TTL: time.Hour, Leases: l, Apply: func(ctx context.Context, _ int, _ int64) error {
		<-ctx.Done()
		return nil
	}})
}

func TestWorkersShareAndTakeOverPartitions(t *testing.T) {
	ctx := context.Background()
	l := newFakeLeases(8)
	a, b := newTestWorker("a", l), newTestWorker("b", l)
	defer a.stopAll()
	defer b.stopAll()
	round := func(ws ...*Worker) {
		t.Helper()
		for _, w := range ws {
			if err := w.round(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	round(a)
	if got := len(a.Held()); got != 8 {
		t.Fatalf("alone, a holds %d partitions, want 8", got)
	}
	// b arrives: a gives up its share above ceil(8/2), b takes it.
	round(b, a, b)
	if ga, gb := len(a.Held()), len(b.Held()); ga != 4 || gb != 4 {
		t.Fatalf("a holds %d and b %d partitions, want 4 and 4", ga, gb)
	}
	// a dies (its leases expire): b takes everything.
	l.expire("a")
	round(b)
	if got := len(b.Held()); got != 8 {
		t.Fatalf("after a died, b holds %d partitions, want 8", got)
	}
	// a comes back with its old state: its renewals fail, so it stops
	// its processors instead of writing under lost leases.
	if err := a.renew(ctx); err != nil {
		t.Fatal(err)
	}
	if got := a.Held(); len(got) != 0 {
		t.Fatalf("a still runs partitions %v after losing their leases", got)
	}
}

package rescore

import (
	"context"
	"time"
)

// HotStatus is the scoring state held in memory.
type HotStatus struct {
	Profiles int  `json:"profiles"`
	Filling  bool `json:"filling"`
	Filled   bool `json:"filled"`
	// ServingVersion is the model version whose scores readers are served
	// from memory; the store serves them while it differs from the model
	// in use.
	ServingVersion int `json:"servingVersion"`
}

// fillLogEvery is how often a fill logs its progress.
const fillLogEvery = 5 * time.Second

// Fill starts filling the Live's Hot from the store in the background,
// logging its progress; passes started meanwhile wait for it, then run in
// memory. Call it once, before the first Start; Close stops it. Without a
// Hot it does nothing.
func (k *Keeper) Fill(ctx context.Context) {
	h := k.live.Hot()
	if h == nil {
		return
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	k.mu.Lock()
	k.fillDone, k.fillCancel = done, cancel
	k.mu.Unlock()
	go func() {
		defer close(done)
		start, logged := time.Now(), time.Now()
		opts := k.opts
		opts.Progress = func(p Progress) {
			if time.Since(logged) >= fillLogEvery {
				logged = time.Now()
				k.log.Info("filling scores in memory", "profiles", p.Scanned, "seconds", time.Since(start).Seconds())
			}
		}
		n, err := h.Fill(ctx, k.store, opts)
		if err != nil {
			k.log.Error("scores in memory: fill failed; passes run through the store", "err", err)
			return
		}
		k.log.Info("scores in memory", "profiles", n, "seconds", time.Since(start).Seconds())
	}()
}

// pass runs one rescoring pass: in memory when Hot is filled (waiting for
// a fill under way, which reads what a pass through the store would read
// anyway), else through the store.
func (k *Keeper) pass(ctx context.Context, opts Options) (Progress, error) {
	h := k.live.Hot()
	if h == nil || !k.waitFill(ctx) {
		return Pass(ctx, k.store, k.live, opts)
	}
	start := time.Now()
	m := k.live.Model()
	scored, _, err := h.RescoreHot(ctx, m, k.live.clock.Now(), opts.Workers)
	prog := Progress{Scanned: scored, InMemory: true, Served: time.Since(start)}
	prog.Elapsed = prog.Served
	if err != nil {
		return prog, err
	}
	k.log.Info("rescored in memory; writing behind", "profiles", scored, "model_version", m.Version,
		"seconds", prog.Served.Seconds())
	if opts.Progress != nil {
		opts.Progress(prog)
	}
	err = h.WriteBehind(ctx, k.store, m, opts, &prog)
	return prog, err
}

// waitFill waits for the fill under way, if any, and reports whether Hot
// is filled.
func (k *Keeper) waitFill(ctx context.Context) bool {
	k.mu.Lock()
	done := k.fillDone
	k.mu.Unlock()
	if done != nil {
		select {
		case <-done:
		case <-ctx.Done():
			return false
		}
	}
	return k.live.Hot().Filled()
}

package rescore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/runner"
	"github.com/rapportdev/rapport/scoring"
)

// KeeperStore is what a Keeper needs of the store.
type KeeperStore interface {
	Store
	rapport.ModelStore
}

// SourceAPI is the Source of a model version replaced through the admin API.
const SourceAPI = "api"

// Status is the scoring model in use and the latest rescoring pass.
type Status struct {
	ModelVersion int    `json:"modelVersion"`
	ModelSource  string `json:"modelSource"`
	Running      bool   `json:"running"`
	// Reason says why the latest pass ran: "model version 3", "scheduled".
	Reason     string    `json:"reason,omitempty"`
	StartedAt  time.Time `json:"startedAt,omitzero"`
	FinishedAt time.Time `json:"finishedAt,omitzero"`
	Progress
	Error string `json:"error,omitempty"`
	// Hot is the scoring state held in memory, absent without one.
	Hot *HotStatus `json:"hot,omitempty"`
}

// Keeper keeps the scoring model and every stored score in step: it
// stores model versions, swaps them into Live, and runs rescoring passes,
// one at a time.
type Keeper struct {
	live  *Live
	store KeeperStore
	log   *slog.Logger
	opts  Options

	run runner.Runner
	// afterPass, when set, runs after each pass that finished.
	afterPass func(reason string)
	// replacing makes replacements one at a time, so the version in use
	// is always the newest stored.
	replacing sync.Mutex
	mu        sync.Mutex
	status    Status

	// fillDone is closed when the Fill started by Fill ends; nil before.
	fillDone   chan struct{}
	fillCancel context.CancelFunc
}

// NewKeeper returns a Keeper of live's model; call Declare before use.
func NewKeeper(live *Live, store KeeperStore, log *slog.Logger, opts Options) *Keeper {
	return &Keeper{live: live, store: store, log: log, opts: opts}
}

// OnWritten sets a function called with the profiles of each page a pass
// wrote; call it before the first Start.
func (k *Keeper) OnWritten(fn func(profileIDs []string)) { k.opts.Written = fn }

// AfterPass sets a function called after each pass that ran to its end or
// failed (not one stopped for a newer pass), with its reason: segments,
// which read scores, are recomputed then. Call it before the first Start.
func (k *Keeper) AfterPass(fn func(reason string)) { k.afterPass = fn }

// Live returns the scoring the processor runs.
func (k *Keeper) Live() *Live { return k.live }

// Declare settles the model at start from the declaration the server was
// given (a file or a template, named by source). The declaration wins when
// it is new or changed since it was last stored; otherwise the newest
// stored version stays, so a restart does not undo a change made through
// the API. It reports whether it stored a new version, after which the
// caller should start a pass.
func (k *Keeper) Declare(ctx context.Context, body []byte, source string) (bool, error) {
	sum := sha256.Sum256(body)
	digest := hex.EncodeToString(sum[:])
	versions, err := k.store.ListModels(ctx, rapport.ModelScoring)
	if err != nil {
		return false, err
	}
	for _, v := range versions {
		if v.Source == SourceAPI {
			continue
		}
		if v.Digest == digest {
			// The declaration is unchanged: run the newest version.
			return false, k.use(&versions[0])
		}
		break
	}
	if _, err := scoring.ParseModel(body); err != nil {
		return false, fmt.Errorf("scoring model %s: %w", source, err)
	}
	v, err := k.store.PutModel(ctx, rapport.ModelVersion{Kind: rapport.ModelScoring, Body: body, Source: source, Digest: digest})
	if err != nil {
		return false, err
	}
	return true, k.use(&v)
}

// Adopt puts in use the newest stored version without storing anything:
// for a process that does not apply events (role ingest), so it serves
// the model the applying process runs. With none stored yet it uses the
// declaration, unstored.
func (k *Keeper) Adopt(ctx context.Context, body []byte, source string) error {
	cur, err := k.store.CurrentModel(ctx, rapport.ModelScoring)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		m, err := scoring.ParseModel(body)
		if err != nil {
			return fmt.Errorf("scoring model %s: %w", source, err)
		}
		k.live.SetModel(m)
		k.mu.Lock()
		k.status.ModelSource = source + " (not stored yet)"
		k.mu.Unlock()
		return nil
	} else if err != nil {
		return err
	}
	return k.use(cur)
}

// Replace validates body (YAML or JSON), stores it as the next version,
// puts it in use and starts a pass. Validation errors are EINVALID and
// name each field and line.
func (k *Keeper) Replace(ctx context.Context, body []byte) (*scoring.Model, error) {
	k.replacing.Lock()
	defer k.replacing.Unlock()
	_, body, err := scoring.ParseModelJSONOrYAML(body)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	v, err := k.store.PutModel(ctx, rapport.ModelVersion{Kind: rapport.ModelScoring, Body: body, Source: SourceAPI,
		Digest: hex.EncodeToString(sum[:])})
	if err != nil {
		return nil, err
	}
	if err := k.use(&v); err != nil {
		return nil, err
	}
	k.Start(fmt.Sprintf("model version %d", v.Version))
	return k.live.Model(), nil
}

// use puts a stored version in use.
func (k *Keeper) use(v *rapport.ModelVersion) error {
	m, err := scoring.ParseModel(v.Body)
	if err != nil {
		return fmt.Errorf("stored scoring model version %d: %w", v.Version, err)
	}
	if m, err = m.WithVersion(v.Version); err != nil {
		return fmt.Errorf("stored scoring model version %d: %w", v.Version, err)
	}
	k.live.SetModel(m)
	k.mu.Lock()
	k.status.ModelVersion, k.status.ModelSource = v.Version, v.Source
	k.mu.Unlock()
	return nil
}

// Start begins a rescoring pass in the background, stopping one already
// running (its work is not lost: the new pass covers every profile).
func (k *Keeper) Start(reason string) {
	k.run.Start(func() {
		k.mu.Lock()
		k.status = Status{ModelVersion: k.status.ModelVersion, ModelSource: k.status.ModelSource,
			Running: true, Reason: reason, StartedAt: time.Now().UTC()}
		k.mu.Unlock()
	}, func(ctx context.Context) {
		opts := k.opts
		opts.Progress = func(p Progress) {
			k.mu.Lock()
			k.status.Progress = p
			k.mu.Unlock()
			if k.opts.Progress != nil {
				k.opts.Progress(p)
			}
		}
		prog, err := k.pass(ctx, opts)
		k.finish(reason, prog, err)
		// A pass that failed part-way still changed scores, and time moved
		// on: only one stopped for another pass is left to that one.
		if !errors.Is(err, context.Canceled) && k.afterPass != nil {
			k.afterPass(reason)
		}
	})
}

// finish records how a pass ended.
func (k *Keeper) finish(reason string, prog Progress, err error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.status.Running, k.status.Progress, k.status.FinishedAt = false, prog, time.Now().UTC()
	switch {
	case errors.Is(err, context.Canceled):
		k.status.Error = "stopped before the end"
	case err != nil:
		k.status.Error = err.Error()
		k.log.Error("rescoring failed", "reason", reason, "err", err)
	default:
		k.log.Info("rescored", "reason", reason, "profiles", prog.Scanned, "written", prog.Written,
			"fired", prog.Fired, "in_memory", prog.InMemory, "served_seconds", prog.Served.Seconds(),
			"seconds", prog.Elapsed.Seconds())
	}
}

// Wait blocks until the running pass, if any, ends, and returns the status.
func (k *Keeper) Wait() Status {
	k.run.Wait()
	return k.Status()
}

// Status returns the model in use, the latest pass and the hot state.
func (k *Keeper) Status() Status {
	k.mu.Lock()
	st := k.status
	k.mu.Unlock()
	if h := k.live.Hot(); h != nil {
		st.Hot = &HotStatus{Profiles: h.Len(), Filling: h.filling.Load(), Filled: h.Filled(),
			ServingVersion: int(h.serving.Load())}
	}
	return st
}

// Every starts a pass each interval until ctx ends, so that engagement
// decays and customers lapse without a new event; a pass still running
// is not interrupted by the schedule.
func (k *Keeper) Every(ctx context.Context, interval time.Duration) {
	k.run.Every(ctx, interval, func() { k.Start("scheduled") })
}

// Close stops a running pass and a fill, and waits for them.
func (k *Keeper) Close() {
	k.run.Close()
	k.mu.Lock()
	done, cancel := k.fillDone, k.fillCancel
	k.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// Model returns the model in use.
func (k *Keeper) Model() *scoring.Model { return k.live.Model() }

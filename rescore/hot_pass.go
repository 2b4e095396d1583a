package rescore

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rapportdev/rapport/scoring"
)

// RescoreHot scores every profile in h again with m as of now, in place,
// on workers goroutines (GOMAXPROCS when 0), chunk by chunk under each
// chunk's lock, so the processor keeps updating the other chunks
// meanwhile. Each entry is left dirty, with the rules it fired, for
// WriteBehind. When it ends, readers are served the new scores from h
// (Scores). It returns how many profiles it scored and how many rules
// fired.
func (h *Hot) RescoreHot(ctx context.Context, m *scoring.Model, now time.Time, workers int) (scored, fired int, err error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	h.mu.RLock()
	chunks := h.chunks
	h.mu.RUnlock()
	names := typeNames(m)
	var next, nScored, nFired atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var scratch []scoring.TypeState
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= len(chunks) {
					return
				}
				s, f := chunks[i].rescore(m, names, &scratch, now)
				nScored.Add(int64(s))
				nFired.Add(int64(f))
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return int(nScored.Load()), int(nFired.Load()), fmt.Errorf("rescore in memory: %w", err)
	}
	// Profiles added after the chunks were listed were scored by the
	// processor with m already, or rescored with it as they were stored
	// (Live.Applied).
	h.serving.Store(int64(m.Version))
	return int(nScored.Load()), int(nFired.Load()), nil
}

// rescore scores every entry of c with m (whose type names are given),
// expanding each state's types into scratch.
func (c *chunk) rescore(m *scoring.Model, names []string, scratch *[]scoring.TypeState, now time.Time) (scored, fired int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for j := range c.entries {
		if !c.ranks[j].live {
			continue
		}
		e := &c.entries[j]
		sparse := e.state.Types
		*scratch = expandTypes(sparse, names, *scratch)
		e.state.Types = *scratch
		r, f := scoring.RescoreBrief(m, &e.subject, &e.state, now)
		// A rescoring changes no type's counts, so the types left are
		// those held before or fewer (a model that dropped some): when as
		// many, they are the same and their slice is reused.
		compactTypes(&e.state, sparse)
		e.at, e.dirty = now, true
		if len(f) > 0 {
			// Rules fired by a pass not yet written stay queued: they
			// are active now, so they will not fire again.
			e.fired = append(e.fired, f...)
			fired += len(f)
		}
		c.setRank(j, &r)
		scored++
	}
	return scored, fired
}

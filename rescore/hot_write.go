package rescore

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/scoring"
)

// snapshot is a dirty entry copied out of its chunk, to be encoded and
// written without holding the lock.
type snapshot struct {
	id      string
	subject scoring.Subject
	state   scoring.State
	at      time.Time
	prev    time.Time
	fired   []string
}

// writePage is one page of the write behind on its way to the store.
type writePage struct {
	// sweep is marked done when the page is stored (or dropped).
	sweep   *sync.WaitGroup
	snaps   []snapshot
	updates []rapport.ScoreUpdate
	fired   int
	err     error
}

// WriteBehind writes every score computed in memory with m (RescoreHot,
// Live.Applied) to the store: pages of opts.Page are encoded on
// opts.Workers and written by one goroutine through UpdateScores, whose
// Prev check lets a score the processor stored meanwhile win, with the
// notifications of the rules each fired. prog's Written, Fired and Elapsed
// advance as pages are stored, reported through opts.Progress, and
// opts.Written hears of each page. Entries scored with another model are
// left to the pass of that model.
func (h *Hot) WriteBehind(ctx context.Context, store Store, m *scoring.Model, opts Options, prog *Progress) error {
	opts = opts.withDefaults()
	start := time.Now().Add(-prog.Elapsed)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	dirty := make(chan *writePage, opts.Workers)
	encoded := make(chan *writePage, opts.Workers)
	go func() {
		defer close(dirty)
		h.collect(ctx, m, opts.Page, dirty)
	}()
	var wg sync.WaitGroup
	for range opts.Workers {
		wg.Go(func() {
			for pg := range dirty {
				pg.encode(m)
				select {
				case encoded <- pg:
				case <-ctx.Done():
					pg.sweep.Done()
				}
			}
		})
	}
	go func() { wg.Wait(); close(encoded) }()
	for pg := range encoded {
		err := h.store(ctx, store, pg, opts, prog, start)
		pg.sweep.Done()
		if err != nil {
			cancel(err)
			break
		}
	}
	go func() {
		for pg := range encoded {
			pg.sweep.Done()
		}
	}()
	prog.Elapsed = time.Since(start)
	if err := context.Cause(ctx); err != nil && ctx.Err() != nil {
		return fmt.Errorf("write scores behind after %d: %w", prog.Written, err)
	}
	return nil
}

// withDefaults fills the zero fields of opts.
func (o Options) withDefaults() Options {
	if o.Page <= 0 {
		o.Page = 2000
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	return o
}

// collect sends the dirty entries scored with m, page by page. It sweeps
// again while a sweep found any: a batch the processor scored with the
// previous model and stored during the pass is rescored as it is stored
// (Live.Applied), possibly behind the sweep.
func (h *Hot) collect(ctx context.Context, m *scoring.Model, size int, out chan<- *writePage) {
	for range maxSweeps {
		n, ok := h.sweep(ctx, m, size, out)
		if !ok || n == 0 {
			return
		}
	}
}

// maxSweeps bounds the sweeps of one write behind; what a last sweep
// leaves is written by the next pass.
const maxSweeps = 4

// sweep sends every dirty entry of m once, and how many it sent; false
// when ctx ended.
func (h *Hot) sweep(ctx context.Context, m *scoring.Model, size int, out chan<- *writePage) (int, bool) {
	h.mu.RLock()
	chunks := h.chunks
	h.mu.RUnlock()
	names := typeNames(m)
	n := 0
	// The next sweep starts when this one's pages are stored, so it does
	// not take entries still on their way for new ones.
	var sent sync.WaitGroup
	defer sent.Wait()
	pg := &writePage{sweep: &sent}
	send := func() bool {
		n += len(pg.snaps)
		sent.Add(1)
		select {
		case out <- pg:
			pg = &writePage{sweep: &sent}
			return true
		case <-ctx.Done():
			sent.Done()
			return false
		}
	}
	for _, c := range chunks {
		pg.snaps = c.dirty(m, names, pg.snaps)
		if len(pg.snaps) >= size && !send() {
			return n, false
		}
	}
	if len(pg.snaps) > 0 && !send() {
		return n, false
	}
	return n, true
}

// dirty appends to snaps a copy of every entry of c scored in memory with
// model m (whose type names are given) and not yet written.
func (c *chunk) dirty(m *scoring.Model, names []string, snaps []snapshot) []snapshot {
	c.mu.Lock()
	defer c.mu.Unlock()
	for j := range c.entries {
		e := &c.entries[j]
		if !c.ranks[j].live || !e.dirty || e.state.Version != m.Version {
			continue
		}
		st := cloneState(&e.state)
		st.Types = expandTypes(e.state.Types, names, nil)
		snaps = append(snaps, snapshot{id: e.id, subject: e.subject, state: st,
			at: e.at, prev: e.stored, fired: slices.Clone(e.fired)})
	}
	return snaps
}

// encode makes the page's score updates: the full result with its
// explanation, scored again at the time it was computed for, which gives
// exactly the result computed then (scoring.RescoreBrief).
func (pg *writePage) encode(m *scoring.Model) {
	pg.updates = make([]rapport.ScoreUpdate, 0, len(pg.snaps))
	for i := range pg.snaps {
		s := &pg.snaps[i]
		w := &working{state: cloneState(&s.state)}
		w.result, _ = scoring.RescoreSubject(m, &s.subject, &w.state, s.at)
		rec, err := record(s.id, w, s.at)
		if err != nil {
			pg.err = fmt.Errorf("write %s behind: %w", s.id, err)
			return
		}
		var notes []rapport.Notification
		if len(s.fired) > 0 {
			notes = notificationsOf(s.id, s.fired, &w.result)
			pg.fired += len(notes)
		}
		pg.updates = append(pg.updates, rapport.ScoreUpdate{Record: rec, Prev: s.prev, Notifications: notes})
	}
}

// store writes a page and marks its entries written.
func (h *Hot) store(ctx context.Context, store Store, pg *writePage, opts Options, prog *Progress, start time.Time) error {
	if pg.err != nil {
		return pg.err
	}
	n, err := store.UpdateScores(ctx, pg.updates)
	if err != nil {
		return fmt.Errorf("write scores: %w", err)
	}
	ids := make([]string, len(pg.snaps))
	for i := range pg.snaps {
		ids[i] = pg.snaps[i].id
		h.written(&pg.snaps[i])
	}
	if opts.Written != nil && n > 0 {
		opts.Written(ids)
	}
	prog.Written += n
	prog.Fired += pg.fired
	prog.Elapsed = time.Since(start)
	if opts.Progress != nil {
		opts.Progress(*prog)
	}
	return nil
}

// written marks an entry clean after its page was stored, unless it
// changed since it was copied. An update the store skipped (the processor
// stored a newer score) is marked too: the processor's batch then updates
// the entry as it always does (Live.Applied), which wins.
func (h *Hot) written(s *snapshot) {
	c, j, ok := h.lookup(s.id)
	if !ok {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e := &c.entries[j]
	if e.id != s.id || !e.dirty || !e.at.Equal(s.at) || !e.stored.Equal(s.prev) {
		return
	}
	e.dirty, e.stored, e.fired = false, s.at, nil
}

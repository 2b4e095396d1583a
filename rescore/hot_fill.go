package rescore

import (
	"context"
	"fmt"
	"sync"

	"github.com/rapportdev/rapport/scoring"
)

// filled is one page of the store decoded for Hot.
type filledPage struct {
	ids     []string
	updates []update
	err     error
}

// Fill reads every stored profile and its score into h, page by page in
// id order, decoding on opts.Workers while the next page is read; the
// processor keeps running and its batches win (an entry it stored first
// is not replaced, and a profile it removed is not brought back).
// opts.Progress hears how many profiles are in after each page. When it
// returns without error, h is Filled.
func (h *Hot) Fill(ctx context.Context, store Store, opts Options) (int, error) {
	opts = opts.withDefaults()
	h.mu.Lock()
	h.filling.Store(true)
	clear(h.tombs)
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		h.filling.Store(false)
		clear(h.tombs)
		h.mu.Unlock()
	}()
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	read := make(chan *page, opts.Workers)
	decoded := make(chan *filledPage, opts.Workers)
	go func() {
		defer close(read)
		if err := readPages(ctx, store, opts.Page, read); err != nil {
			cancel(fmt.Errorf("read profiles: %w", err))
		}
	}()
	var wg sync.WaitGroup
	for range opts.Workers {
		wg.Go(func() {
			for pg := range read {
				select {
				case decoded <- h.decodePage(pg):
				case <-ctx.Done():
					return
				}
			}
		})
	}
	go func() { wg.Wait(); close(decoded) }()
	var prog Progress
	for fp := range decoded {
		if fp.err != nil {
			cancel(fp.err)
			break
		}
		h.fillPage(fp)
		prog.Scanned += len(fp.ids)
		if opts.Progress != nil {
			opts.Progress(prog)
		}
	}
	go func() {
		for range decoded {
		}
	}()
	if err := context.Cause(ctx); err != nil && ctx.Err() != nil {
		return prog.Scanned, fmt.Errorf("fill scores in memory after %d profiles: %w", prog.Scanned, err)
	}
	h.filled.Store(true)
	return prog.Scanned, nil
}

// decodePage projects a page's profiles and decodes their scores.
func (h *Hot) decodePage(pg *page) *filledPage {
	fp := &filledPage{ids: make([]string, len(pg.profiles)), updates: make([]update, len(pg.profiles))}
	for i, p := range pg.profiles {
		fp.ids[i] = p.ID
		u := &fp.updates[i]
		u.subject = h.strs.subject(scoring.SubjectOf(p))
		rec := pg.scores[p.ID]
		if rec == nil {
			continue
		}
		u.scored, u.stored = true, rec.UpdatedAt
		if err := decodeBrief(rec, &u.state, &u.result); err != nil {
			fp.err = err
			return fp
		}
		h.strs.state(&u.state)
	}
	return fp
}

// fillPage adds a decoded page's profiles that the processor has not
// stored or removed since the page was read. A profile the processor
// stored meanwhile without scoring it (a group event on an account
// changes the account, not its score) takes the page's score under its
// newer projection: without it, the stored score would never be loaded.
func (h *Hot) fillPage(fp *filledPage) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i, id := range fp.ids {
		if h.tombs[id] {
			continue
		}
		u := &fp.updates[i]
		at, ok := h.index[id]
		if !ok {
			h.updateLocked(id, u)
			continue
		}
		if !u.scored {
			continue
		}
		c, j := h.slot(at)
		c.mu.Lock()
		unscored, subject := !c.scored(j), c.entries[j].subject
		c.mu.Unlock()
		if unscored {
			u.subject = subject
			h.updateLocked(id, u)
		}
	}
}

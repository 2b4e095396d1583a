package rescore

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/rapportdev/rapport"
)

// Store is what a pass reads and writes.
type Store interface {
	ScanProfiles(ctx context.Context, after string, limit int) ([]*rapport.Profile, error)
	FindScores(ctx context.Context, profileIDs []string) (map[string]*rapport.ScoreRecord, error)
	UpdateScores(ctx context.Context, updates []rapport.ScoreUpdate) (int, error)
}

// Scorer scores one profile from its stored score (nil when none).
type Scorer interface {
	Rescore(p *rapport.Profile, rec *rapport.ScoreRecord) (rapport.ScoreRecord, []rapport.Notification, error)
}

// Options tune a Pass.
type Options struct {
	// Page is how many profiles are read, scored and written together
	// (default 2000).
	Page int
	// Workers score pages in parallel (default GOMAXPROCS).
	Workers int
	// Progress, when set, is called after each page is written, from one
	// goroutine.
	Progress func(Progress)
	// Written, when set, is called with the profiles of each page after
	// their scores are written: the processor forgets the states it holds
	// of them.
	Written func(profileIDs []string)
}

// Progress is how far a pass has come.
type Progress struct {
	// Scanned profiles were read and scored.
	Scanned int `json:"scanned"`
	// Written scores were stored; the others were skipped because the
	// processor wrote a newer score meanwhile, or the profile was erased.
	Written int `json:"written"`
	// Fired counts the rule notifications queued with written scores.
	Fired int `json:"fired"`
	// InMemory marks a pass over Hot; Served is the time it took until
	// every new score was served from memory (the rest of Elapsed writes
	// them behind).
	InMemory bool          `json:"inMemory,omitempty"`
	Served   time.Duration `json:"served,omitempty"`
	// Elapsed is the time until the store held every score written.
	Elapsed time.Duration `json:"elapsed"`
}

// page is one page of profiles on its way through the pass.
type page struct {
	profiles []*rapport.Profile
	scores   map[string]*rapport.ScoreRecord
	updates  []rapport.ScoreUpdate
	fired    int
	err      error
}

// Pass rescores every profile in the store: one goroutine reads pages in
// id order, Workers score them, and one writes them, so reading, scoring
// and writing overlap. It stops at the first error, or when ctx ends, and
// returns the progress made.
func Pass(ctx context.Context, store Store, scorer Scorer, opts Options) (Progress, error) {
	if opts.Page <= 0 {
		opts.Page = 2000
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	start := time.Now()

	read := make(chan *page, opts.Workers)
	scored := make(chan *page, opts.Workers)
	go func() {
		defer close(read)
		if err := readPages(ctx, store, opts.Page, read); err != nil {
			cancel(err)
		}
	}()
	var wg sync.WaitGroup
	for range opts.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for pg := range read {
				scorePage(scorer, pg)
				select {
				case scored <- pg:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(scored) }()

	var prog Progress
	for pg := range scored {
		if pg.err != nil {
			cancel(pg.err)
			break
		}
		n, err := store.UpdateScores(ctx, pg.updates)
		if err != nil {
			cancel(fmt.Errorf("write scores: %w", err))
			break
		}
		if opts.Written != nil && n > 0 {
			ids := make([]string, len(pg.profiles))
			for i, p := range pg.profiles {
				ids[i] = p.ID
			}
			opts.Written(ids)
		}
		prog.Scanned += len(pg.profiles)
		prog.Written += n
		prog.Fired += pg.fired
		prog.Elapsed = time.Since(start)
		if opts.Progress != nil {
			opts.Progress(prog)
		}
	}
	// Drain so the reader and workers can end.
	go func() {
		for range scored {
		}
	}()
	prog.Elapsed = time.Since(start)
	if err := context.Cause(ctx); err != nil && ctx.Err() != nil {
		return prog, fmt.Errorf("rescore after %d profiles: %w", prog.Scanned, err)
	}
	return prog, nil
}

// readPages sends the store's profiles, with their scores, page by page.
func readPages(ctx context.Context, store Store, size int, out chan<- *page) error {
	after := ""
	for {
		profiles, err := store.ScanProfiles(ctx, after, size)
		if err != nil {
			return err
		}
		if len(profiles) == 0 {
			return nil
		}
		ids := make([]string, len(profiles))
		for i, p := range profiles {
			ids[i] = p.ID
		}
		scores, err := store.FindScores(ctx, ids)
		if err != nil {
			return err
		}
		select {
		case out <- &page{profiles: profiles, scores: scores}:
		case <-ctx.Done():
			return nil
		}
		after = ids[len(ids)-1]
	}
}

// scorePage computes the update of every profile of pg.
func scorePage(scorer Scorer, pg *page) {
	pg.updates = make([]rapport.ScoreUpdate, 0, len(pg.profiles))
	for _, p := range pg.profiles {
		rec := pg.scores[p.ID]
		out, notes, err := scorer.Rescore(p, rec)
		if err != nil {
			pg.err = err
			return
		}
		u := rapport.ScoreUpdate{Record: out, Notifications: notes}
		if rec != nil {
			u.Prev = rec.UpdatedAt
		}
		pg.fired += len(notes)
		pg.updates = append(pg.updates, u)
	}
}

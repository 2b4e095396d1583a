package processor

import (
	"context"
	"fmt"
	"time"

	"github.com/rapportdev/rapport"
)

// Erase deletes a person from the store, completely as far as the
// processor can see:
//   - it first applies what the log holds, so events acknowledged before
//     the erasure are erased with the rest instead of bringing the person
//     back afterwards;
//   - it deletes between two batches and drops the in-memory state, so no
//     batch computed from a cached copy writes the profile back;
//   - it then trims the log of everything applied, so the person's events
//     leave the log too (SQLite reuses the freed pages for new appends).
//
// Another process applying the same store (a `rapport import` running
// beside the server) is not held back by this; erase while none runs.
//
// A partition's processor refuses: another partition's lease holder may be
// applying the person's events, so the erasure goes through the log to the
// partition owning the profile, and that processor runs it with EraseAt.
func (p *Processor) Erase(ctx context.Context, profileID string) (*rapport.Erasure, error) {
	if p.opts.Partition != nil {
		return nil, rapport.Errorf(rapport.ECONFLICT, "erase %s: a partition's processor erases at the request's place in the log (EraseAt)", profileID)
	}
	if _, err := p.CatchUp(ctx); err != nil {
		return nil, fmt.Errorf("erase %s: apply the log first: %w", profileID, err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	erasure, err := p.store.DeleteProfile(ctx, profileID)
	p.cache.reset() // even on error: the store may have changed
	if err != nil {
		return nil, err
	}
	p.lastTrim = time.Time{}
	p.maybeTrim(ctx)
	return erasure, nil
}

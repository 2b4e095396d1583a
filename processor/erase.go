package processor

import (
	"context"

	"github.com/rapportdev/rapport"
)

// Erase deletes a person from the store between two batches and drops the
// in-memory state, so no batch computed from a cached copy of the profile
// can write it back after the erasure.
//
// Another process applying the same store (a `rapport import` running
// beside the server) is not held back by this; erase while no import runs.
func (p *Processor) Erase(ctx context.Context, profileID string) (*rapport.Erasure, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	erasure, err := p.store.DeleteProfile(ctx, profileID)
	p.cache.reset() // even on error: the store may have changed
	return erasure, err
}

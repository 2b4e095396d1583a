package http

import (
	"context"
	"fmt"

	"github.com/rapportdev/rapport"
)

// findProfile returns the profile with the given id. When there is none
// but merge records show where it went, the error is a *mergedError naming
// the profile that holds it now; otherwise it is the store's ENOTFOUND.
func (s *Server) findProfile(ctx context.Context, id string) (*rapport.Profile, error) {
	p, err := s.cfg.Store.FindProfileByID(ctx, id)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		return nil, s.explainMissing(ctx, id, err)
	}
	if err != nil {
		return nil, fmt.Errorf("find profile %s: %w", id, err)
	}
	return p, nil
}

// explainMissing follows the merges out of a missing profile to the one
// that exists now. It returns notFound when there is no such profile: never
// merged, or the survivor was erased since.
func (s *Server) explainMissing(ctx context.Context, id string, notFound error) error {
	into, err := rapport.FindSurvivor(ctx, s.cfg.Store, id)
	switch {
	case err != nil:
		return err
	case into == "":
		return notFound
	}
	return &mergedError{ID: id, Into: into}
}

package http

import (
	"context"
	"fmt"

	"github.com/rapportdev/rapport"
)

// maxMergeHops bounds how far findProfile follows a chain of merges (a into
// b, b into c). Real chains are a few hops; the bound only guards against
// a cycle in corrupt records.
const maxMergeHops = 32

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
	at := id
	for range maxMergeHops {
		into, err := s.mergedInto(ctx, at)
		if err != nil {
			return err
		}
		if into == "" {
			return notFound
		}
		_, err = s.cfg.Store.FindProfileByID(ctx, into)
		switch rapport.ErrorCode(err) {
		case "":
			return &mergedError{ID: id, Into: into}
		case rapport.ENOTFOUND:
			at = into
		default:
			return fmt.Errorf("find merge survivor %s: %w", into, err)
		}
	}
	return notFound
}

// mergedInto returns the profile id was last merged into, or "" when it
// never was.
func (s *Server) mergedInto(ctx context.Context, id string) (string, error) {
	merges, err := s.cfg.Store.FindMerges(ctx, id)
	if err != nil {
		return "", fmt.Errorf("find merges of %s: %w", id, err)
	}
	into := ""
	for _, m := range merges { // oldest first: the last one wins
		if m.From == id {
			into = m.Into
		}
	}
	return into, nil
}

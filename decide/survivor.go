package decide

import (
	"context"
	"fmt"

	"github.com/rapportdev/rapport"
)

// survivor returns the profile that holds id now: id itself unless it was
// merged into another since (rapport.FindSurvivor). Decisions remember
// the person as they were; an outcome that comes after a merge counts for
// the survivor, as the store moved the person's earlier outcomes to it at
// the merge. A merged-away id whose survivor was erased stays as it is.
func (s *Service) survivor(ctx context.Context, id string) (string, error) {
	if id == "" {
		return "", nil
	}
	if s.people != nil {
		if _, ok := s.people.get(id, s.cfg.Clock.Now()); ok {
			return id, nil // cached people exist: a merge forgets both sides
		}
	}
	into, err := rapport.FindSurvivor(ctx, s.cfg.Store, id)
	if err != nil {
		return "", fmt.Errorf("find the survivor of %s: %w", id, err)
	}
	if into == "" {
		return id, nil
	}
	return into, nil
}

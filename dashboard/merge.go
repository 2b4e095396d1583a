package dashboard

import (
	"context"
	"fmt"

	"github.com/rapportdev/rapport"
)

// maxMergeHops bounds how far survivor follows a chain of merges (a into
// b, b into c). Real chains are a few hops; the bound only guards against
// a cycle in corrupt records.
const maxMergeHops = 32

// survivor follows the merges out of a missing profile to the profile
// that exists now, and returns "" when there is none (never merged, or the
// survivor was erased since).
func (h *Handler) survivor(ctx context.Context, id string) (string, error) {
	at := id
	for range maxMergeHops {
		into, err := h.mergedInto(ctx, at)
		if err != nil || into == "" {
			return "", err
		}
		_, err = h.cfg.Store.FindProfileByID(ctx, into)
		switch rapport.ErrorCode(err) {
		case "":
			return into, nil
		case rapport.ENOTFOUND:
			at = into
		default:
			return "", fmt.Errorf("find merge survivor %s: %w", into, err)
		}
	}
	return "", nil
}

// mergedInto returns the profile id was last merged into, or "".
func (h *Handler) mergedInto(ctx context.Context, id string) (string, error) {
	merges, err := h.cfg.Store.FindMerges(ctx, id)
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

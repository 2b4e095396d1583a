package rapport

import (
	"context"
	"fmt"
)

// MaxMergeHops bounds how far FindSurvivor follows a chain of merges (a
// into b, b into c). Real chains are a few hops; the bound only guards
// against a cycle in corrupt records.
const MaxMergeHops = 32

// MergeFinder is the part of a ProfileStore that follows merges.
type MergeFinder interface {
	FindProfileByID(ctx context.Context, id string) (*Profile, error)
	FindMerges(ctx context.Context, profileID string) ([]Merge, error)
}

// FindSurvivor follows the merges out of a profile that no longer exists
// to the profile that holds it now, and returns "" when there is none
// (never merged, or the survivor was erased since). Notifications, links
// and bookmarks name profiles that identity resolution may since have
// folded into another.
func FindSurvivor(ctx context.Context, s MergeFinder, id string) (string, error) {
	at := id
	for range MaxMergeHops {
		into, err := mergedInto(ctx, s, at)
		if err != nil || into == "" {
			return "", err
		}
		_, err = s.FindProfileByID(ctx, into)
		switch ErrorCode(err) {
		case "":
			return into, nil
		case ENOTFOUND:
			at = into
		default:
			return "", fmt.Errorf("find merge survivor %s: %w", into, err)
		}
	}
	return "", nil
}

// mergedInto returns the profile id was last merged into, or "".
func mergedInto(ctx context.Context, s MergeFinder, id string) (string, error) {
	merges, err := s.FindMerges(ctx, id)
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

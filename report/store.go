package report

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/economics"
)

// Profiles reads every profile, a page at a time.
type Profiles interface {
	// ScanProfiles returns up to limit profiles with ids greater than
	// after, ordered by id.
	ScanProfiles(ctx context.Context, after string, limit int) ([]*rapport.Profile, error)
	// FindProfiles returns a page of profiles and how many match.
	FindProfiles(ctx context.Context, filter rapport.ProfileFilter) ([]*rapport.Profile, int, error)
}

// Segments reads segments and who is in them.
type Segments interface {
	// FindSegments returns every segment, by id.
	FindSegments(ctx context.Context) ([]*rapport.Segment, error)
	// CountMembers returns the number of members of each given segment.
	CountMembers(ctx context.Context, segmentIDs []string) (map[string]int, error)
	// FindMemberships returns the segment ids each given profile is in.
	FindMemberships(ctx context.Context, profileIDs []string) (map[string][]string, error)
}

// Store is what the reports read; rapport.Store implements it.
type Store interface {
	Profiles
	Segments
}

// PageSize is the number of profiles read at a time.
const PageSize = 5000

// scan calls fn with every page of profiles, in id order.
func scan(ctx context.Context, st Profiles, fn func(page []*rapport.Profile) error) error {
	after := ""
	for {
		page, err := st.ScanProfiles(ctx, after, PageSize)
		if err != nil {
			return fmt.Errorf("scan profiles after %q: %w", after, err)
		}
		if len(page) == 0 {
			return nil
		}
		if err := fn(page); err != nil {
			return err
		}
		after = page[len(page)-1].ID
	}
}

// scanCustomers calls fn with the customers (profiles with an order) of
// every page, and returns how many profiles it read. The slice is reused:
// fn must not keep it.
func scanCustomers(ctx context.Context, st Profiles, now time.Time, o economics.Options, fn func([]economics.Customer) error) (int, error) {
	profiles := 0
	var cs []economics.Customer
	err := scan(ctx, st, func(page []*rapport.Profile) error {
		profiles += len(page)
		cs = cs[:0]
		for _, p := range page {
			if c, ok := economics.NewCustomer(p, now, o); ok {
				cs = append(cs, c)
			}
		}
		return fn(cs)
	})
	return profiles, err
}

// countProfiles returns the number of stored profiles.
func countProfiles(ctx context.Context, st Profiles) (int, error) {
	_, total, err := st.FindProfiles(ctx, rapport.ProfileFilter{Limit: 1})
	if err != nil {
		return 0, fmt.Errorf("count profiles: %w", err)
	}
	return total, nil
}

// sizedSegment is a segment and its member count.
type sizedSegment struct {
	*rapport.Segment
	members int
}

// findSegments returns every segment with its member count: rule
// segments, then discovered buckets, then any other kind; the largest
// first within each, then by id.
func findSegments(ctx context.Context, st Segments) ([]sizedSegment, error) {
	segs, err := st.FindSegments(ctx)
	if err != nil {
		return nil, fmt.Errorf("find segments: %w", err)
	}
	ids := make([]string, len(segs))
	for i, s := range segs {
		ids[i] = s.ID
	}
	counts, err := st.CountMembers(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("count members: %w", err)
	}
	out := make([]sizedSegment, len(segs))
	for i, s := range segs {
		out[i] = sizedSegment{s, counts[s.ID]}
	}
	slices.SortFunc(out, func(a, b sizedSegment) int {
		return cmp.Or(cmp.Compare(kindOrder(a.Kind), kindOrder(b.Kind)), cmp.Compare(b.members, a.members), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// kindOrder puts rule segments before discovered buckets.
func kindOrder(kind string) int {
	switch kind {
	case rapport.SegmentRule:
		return 0
	case rapport.SegmentCluster:
		return 1
	}
	return 2
}

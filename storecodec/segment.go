package storecodec

import (
	"math"

	"github.com/rapportdev/rapport"
)

// CheckSegment refuses a segment a store could not keep whole.
func CheckSegment(s *rapport.Segment) error {
	if s == nil || s.ID == "" || s.Name == "" {
		return rapport.Errorf(rapport.EINVALID, "segment needs an id and a name")
	}
	if s.Kind != rapport.SegmentRule && s.Kind != rapport.SegmentCluster {
		return rapport.Errorf(rapport.EINVALID, "segment %s: kind %q is not rule or cluster", s.ID, s.Kind)
	}
	return nil
}

// SeenNanos is m.Seen for a guard "the profile's updated_at is not after
// it": the largest time when there is no guard, so the guard holds.
func SeenNanos(m rapport.MembershipChange) int64 {
	if m.Seen.IsZero() {
		return math.MaxInt64
	}
	return Nanos(m.Seen)
}

// CheckMemberships refuses changes without a segment or a profile.
func CheckMemberships(changes []rapport.MembershipChange) error {
	for _, m := range changes {
		if m.SegmentID == "" || m.ProfileID == "" {
			return rapport.Errorf(rapport.EINVALID, "membership change of %q in %q is not valid", m.ProfileID, m.SegmentID)
		}
	}
	return nil
}

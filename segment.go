package rapport

import (
	"context"
	"encoding/json"
	"time"
)

// Segment kinds.
const (
	// SegmentRule is a named boolean expression over a profile, its score
	// and its history; membership is kept current as events arrive.
	SegmentRule = "rule"
	// SegmentCluster is a bucket discovered by `rapport cluster`: its
	// members are assigned by the clustering and change only when it runs
	// again.
	SegmentCluster = "cluster"
)

// Segment is a named bucket of profiles.
type Segment struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Kind        string `json:"kind"`
	// Expression is a rule segment's condition (docs/segments.md).
	Expression string `json:"expression,omitempty"`
	// Persona describes a discovered bucket (cluster.Persona as JSON).
	Persona   json.RawMessage `json:"persona,omitempty"`
	CreatedAt time.Time       `json:"createdAt"`
	UpdatedAt time.Time       `json:"updatedAt"`
}

// MembershipChange is a profile entering or leaving a segment.
type MembershipChange struct {
	SegmentID string    `json:"segmentId"`
	ProfileID string    `json:"profileId"`
	Entered   bool      `json:"entered"`
	At        time.Time `json:"at"`
	// Seen, when set, is the UpdatedAt of the profile the change was
	// computed from: ApplyMemberships skips the change when the profile
	// was updated after it, because the processor has decided the
	// membership from newer facts meanwhile. Changes the processor makes
	// itself leave it zero.
	Seen time.Time `json:"-"`
}

// Member is a profile in a segment, and since when.
type Member struct {
	ProfileID string    `json:"profileId"`
	Since     time.Time `json:"since"`
}

// HistoryFilter selects a page of membership changes, newest first: of
// one segment, or of one profile, or all when both are empty.
type HistoryFilter struct {
	SegmentID string
	ProfileID string
	Offset    int
	Limit     int
}

// SegmentStore keeps segment definitions, their current members, and
// every entry and exit. Membership changes made while applying events
// travel in Changes.Memberships; the rest go through ApplyMemberships.
type SegmentStore interface {
	// PutSegment creates the segment or replaces the one with its id.
	PutSegment(ctx context.Context, s *Segment) error
	// FindSegment returns the segment or ENOTFOUND.
	FindSegment(ctx context.Context, id string) (*Segment, error)
	// FindSegments returns every segment, by id.
	FindSegments(ctx context.Context) ([]*Segment, error)
	// DeleteSegment removes the segment, its members and its history, or
	// returns ENOTFOUND.
	DeleteSegment(ctx context.Context, id string) error
	// CountMembers returns the number of members of each given segment.
	CountMembers(ctx context.Context, segmentIDs []string) (map[string]int, error)
	// FindMembers returns a page of a segment's members ordered by
	// profile id, and how many there are.
	FindMembers(ctx context.Context, segmentID string, offset, limit int) ([]Member, int, error)
	// FindMemberships returns the segment ids each given profile belongs
	// to, sorted; profiles in none are absent.
	FindMemberships(ctx context.Context, profileIDs []string) (map[string][]string, error)
	// FindHistory returns membership changes, newest first.
	FindHistory(ctx context.Context, filter HistoryFilter) ([]MembershipChange, error)
	// ApplyMemberships records changes made outside event processing (a
	// recompute, a clustering run) atomically, with the notification of
	// each that took effect: entering a segment one is in, or leaving one
	// one is not in, changes and notifies nothing. Profiles and segments
	// that no longer exist are skipped.
	ApplyMemberships(ctx context.Context, changes []MembershipChange) error
}

// Notification types of membership changes.
const (
	NotifySegmentEntered = "segment.entered"
	NotifySegmentLeft    = "segment.left"
)

// Notification returns what webhooks receive when the change takes effect.
func (m MembershipChange) Notification() Notification {
	typ := NotifySegmentLeft
	if m.Entered {
		typ = NotifySegmentEntered
	}
	return Notification{Type: typ, ProfileID: m.ProfileID, At: m.At, Payload: map[string]any{"segment": m.SegmentID}}
}

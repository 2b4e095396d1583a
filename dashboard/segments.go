package dashboard

import (
	"context"
	"fmt"
	"net/http"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/membership"
	"github.com/rapportdev/rapport/report"
)

// Segments keeps the rule segments current; *membership.Keeper implements
// it (and so does the admin API's rhttp.Segments).
type Segments interface {
	// Put validates, stores and puts in use a rule segment, and starts a
	// pass computing its members. An expression that does not compile is
	// a *segment.CompileError with its line and column; other refusals
	// are EINVALID.
	Put(ctx context.Context, s *rapport.Segment) error
	// Delete removes a segment, its members and its history, or returns
	// ENOTFOUND.
	Delete(ctx context.Context, id string) error
	// Preview counts the profiles an unsaved expression matches among up
	// to sample profiles; a *segment.CompileError when it does not
	// compile.
	Preview(ctx context.Context, expression string, sample int) (matched, scanned int, err error)
	// Status returns the latest recompute pass.
	Status() membership.Status
}

// segmentsView is the data of the segments page.
type segmentsView struct {
	Notice   string
	Profiles int
	Rules    []segmentRow
	Buckets  []segmentRow
	Editable bool
	Status   *membership.Status
}

// segmentRow is one segment of the list.
type segmentRow struct {
	*rapport.Segment
	Members int
	Share   float64
}

// segments loads GET /segments: the rule segments and the discovered
// buckets, each with its member count, largest first.
func (h *Handler) segments(r *http.Request, _ *session) (any, error) {
	ctx := r.Context()
	sizes, err := report.SegmentSizes(ctx, h.cfg.Store, h.cfg.Clock.Now())
	if err != nil {
		return nil, err
	}
	byID, err := h.segmentsByID(ctx)
	if err != nil {
		return nil, err
	}
	v := &segmentsView{Notice: notices[r.URL.Query().Get("notice")], Profiles: sizes.Profiles}
	for _, sz := range sizes.Segments {
		seg := byID[sz.ID]
		if seg == nil { // deleted between the two reads
			continue
		}
		row := segmentRow{Segment: seg, Members: sz.Members, Share: sz.Share}
		if seg.Kind == rapport.SegmentCluster {
			v.Buckets = append(v.Buckets, row)
		} else {
			v.Rules = append(v.Rules, row)
		}
	}
	if h.cfg.Segments != nil {
		st := h.cfg.Segments.Status()
		v.Editable, v.Status = true, &st
	}
	return v, nil
}

// segmentsByID returns every segment by id.
func (h *Handler) segmentsByID(ctx context.Context) (map[string]*rapport.Segment, error) {
	segs, err := h.cfg.Store.FindSegments(ctx)
	if err != nil {
		return nil, fmt.Errorf("find segments: %w", err)
	}
	byID := make(map[string]*rapport.Segment, len(segs))
	for _, s := range segs {
		byID[s.ID] = s
	}
	return byID, nil
}

// findSegment returns the segment, or ENOTFOUND with a message for people.
func (h *Handler) findSegment(ctx context.Context, id string) (*rapport.Segment, error) {
	s, err := h.cfg.Store.FindSegment(ctx, id)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "There is no segment %s.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find segment %s: %w", id, err)
	}
	return s, nil
}

// keeper returns the configured Segments, or ECONFLICT on a process that
// does not keep segments.
func (h *Handler) keeper() (Segments, error) {
	if h.cfg.Segments == nil {
		return nil, rapport.Errorf(rapport.ECONFLICT,
			"This process does not keep segments (it only takes events): change them through a process of role all.")
	}
	return h.cfg.Segments, nil
}

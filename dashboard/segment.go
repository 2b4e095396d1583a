package dashboard

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/membership"
)

// Page sizes of a segment's members and of its entries and exits.
const (
	membersPerPage = 25
	historyPerPage = 25
)

// segmentView is the data of a segment's page.
type segmentView struct {
	Segment  *rapport.Segment
	Notice   string
	Members  int
	Editable bool
	Status   *membership.Status
	// Persona is a discovered bucket's card; PersonaError says why a
	// stored card could not be read.
	Persona      *personaView
	PersonaError string
	// Mix is the members' orders by channel and revenue by category as of
	// the latest background computation (Reports), nil when it is being
	// made or the segment is newer.
	Mix       *mix
	Reports   *reports
	Rows      []memberRow
	Pager     pager
	History   []historyRow
	HistPager pager
}

// memberRow is one member, with what the page shows of the profile.
type memberRow struct {
	ProfileID string
	Name      string
	Since     time.Time
	Orders    int64
	Revenue   float64
	// Gone is true when the profile was erased or merged since.
	Gone bool
}

// historyRow is one entry or exit.
type historyRow struct {
	rapport.MembershipChange
	Name string
}

// segment loads GET /segments/{id}?page=&history_page=: the definition,
// the count, a page of members, a page of entries and exits, the mix and,
// for a discovered bucket, its persona card.
func (h *Handler) segment(r *http.Request, _ *session) (any, error) {
	ctx, q := r.Context(), r.URL.Query()
	pg, err := parsePaging(q, "page", membersPerPage, false)
	if err != nil {
		return nil, err
	}
	hp, err := parsePaging(q, "history_page", historyPerPage, false)
	if err != nil {
		return nil, err
	}
	seg, err := h.findSegment(ctx, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	v := &segmentView{Segment: seg, Notice: notices[q.Get("notice")]}
	if h.cfg.Segments != nil {
		st := h.cfg.Segments.Status()
		v.Status, v.Editable = &st, seg.Kind == rapport.SegmentRule
	}
	if seg.Kind == rapport.SegmentCluster {
		v.Persona, v.PersonaError = h.persona(seg)
	}
	if err := h.loadMembers(ctx, v, r, pg); err != nil {
		return nil, err
	}
	if err := h.loadHistory(ctx, v, r, hp); err != nil {
		return nil, err
	}
	if v.Reports = h.latestReports(ctx); v.Reports != nil {
		v.Mix = v.Reports.Mixes[seg.ID]
	}
	return v, nil
}

// loadMembers adds the count and a page of members, with a name for each:
// one primary-key lookup per row.
func (h *Handler) loadMembers(ctx context.Context, v *segmentView, r *http.Request, pg paging) error {
	ms, total, err := h.cfg.Store.FindMembers(ctx, v.Segment.ID, pg.offset(), pg.Limit)
	if err != nil {
		return fmt.Errorf("find members of %s: %w", v.Segment.ID, err)
	}
	v.Members = total
	for _, m := range ms {
		row := memberRow{ProfileID: m.ProfileID, Name: m.ProfileID, Since: m.Since}
		p, err := h.lookupProfile(ctx, m.ProfileID)
		if err != nil {
			return err
		}
		if p == nil {
			row.Gone = true
		} else {
			row.Name, row.Orders, row.Revenue = displayName(p), p.Aggregates.Orders, p.Aggregates.Revenue
		}
		v.Rows = append(v.Rows, row)
	}
	v.Pager = newPager(r.URL.Path, r.URL.Query(), "page", pg, len(ms), total, false)
	return nil
}

// loadHistory adds a page of entries and exits, newest first.
func (h *Handler) loadHistory(ctx context.Context, v *segmentView, r *http.Request, pg paging) error {
	cs, err := h.cfg.Store.FindHistory(ctx, rapport.HistoryFilter{SegmentID: v.Segment.ID, Offset: pg.offset(), Limit: pg.Limit + 1})
	if err != nil {
		return fmt.Errorf("find history of %s: %w", v.Segment.ID, err)
	}
	more := len(cs) > pg.Limit
	cs = cs[:min(len(cs), pg.Limit)]
	for _, c := range cs {
		row := historyRow{MembershipChange: c, Name: c.ProfileID}
		p, err := h.lookupProfile(ctx, c.ProfileID)
		if err != nil {
			return err
		}
		if p != nil {
			row.Name = displayName(p)
		}
		v.History = append(v.History, row)
	}
	v.HistPager = newPager(r.URL.Path, r.URL.Query(), "history_page", pg, len(cs), -1, more)
	return nil
}

// lookupProfile returns the profile, or nil when it is no longer stored
// (erased, or merged into another since it was listed).
func (h *Handler) lookupProfile(ctx context.Context, id string) (*rapport.Profile, error) {
	p, err := h.cfg.Store.FindProfileByID(ctx, id)
	switch rapport.ErrorCode(err) {
	case "":
		return p, nil
	case rapport.ENOTFOUND:
		return nil, nil
	}
	return nil, fmt.Errorf("find profile %s: %w", id, err)
}

package http

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/membership"
	"github.com/rapportdev/rapport/segment"
)

// Segments keeps rule segments current (membership.Keeper).
type Segments interface {
	// Put validates, stores and puts in use a rule segment, and starts a
	// pass computing its members.
	Put(ctx context.Context, s *rapport.Segment) error
	// Delete removes a segment and its members.
	Delete(ctx context.Context, id string) error
	// Preview counts the profiles an unsaved expression matches in a
	// sample.
	Preview(ctx context.Context, expression string, sample int) (matched, scanned int, err error)
	// Start begins a pass over every profile.
	Start(reason string)
	// Status returns the latest pass.
	Status() membership.Status
}

// segmentRequest is the body of POST and PUT /api/v1/segments.
type segmentRequest struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Expression  string `json:"expression"`
}

// segmentView is a segment with its current member count.
type segmentView struct {
	*rapport.Segment
	Members int `json:"members"`
}

// compileErrorResponse is a refused expression, with where.
type compileErrorResponse struct {
	Error   string                `json:"error"`
	Code    string                `json:"code"`
	Problem *segment.CompileError `json:"problem"`
}

// segments returns the configured keeper, or ENOTFOUND.
func (s *Server) segments() (Segments, error) {
	if s.cfg.Segments == nil {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "segments are not available on this process")
	}
	return s.cfg.Segments, nil
}

// segmentError writes a compile error with its line and column, or any
// other error as usual.
func (s *Server) segmentError(w http.ResponseWriter, r *http.Request, err error) {
	var ce *segment.CompileError
	if errors.As(err, &ce) {
		writeJSON(w, http.StatusBadRequest, compileErrorResponse{Error: ce.Error(), Code: rapport.EINVALID, Problem: ce})
		return
	}
	s.adminError(w, r, err)
}

// listSegments answers GET /api/v1/segments: every segment with its
// member count.
func (s *Server) listSegments(w http.ResponseWriter, r *http.Request) {
	segs, err := s.cfg.Store.FindSegments(r.Context())
	if err != nil {
		s.adminError(w, r, fmt.Errorf("find segments: %w", err))
		return
	}
	ids := make([]string, len(segs))
	for i, seg := range segs {
		ids[i] = seg.ID
	}
	counts, err := s.cfg.Store.CountMembers(r.Context(), ids)
	if err != nil {
		s.adminError(w, r, fmt.Errorf("count members: %w", err))
		return
	}
	out := struct {
		Segments []segmentView `json:"segments"`
	}{Segments: make([]segmentView, len(segs))}
	for i, seg := range segs {
		out.Segments[i] = segmentView{Segment: seg, Members: counts[seg.ID]}
	}
	writeJSON(w, http.StatusOK, out)
}

// getSegment answers GET /api/v1/segments/{id}: the segment and its
// current count.
func (s *Server) getSegment(w http.ResponseWriter, r *http.Request) {
	seg, err := s.cfg.Store.FindSegment(r.Context(), r.PathValue("id"))
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	counts, err := s.cfg.Store.CountMembers(r.Context(), []string{seg.ID})
	if err != nil {
		s.adminError(w, r, fmt.Errorf("count members: %w", err))
		return
	}
	writeJSON(w, http.StatusOK, segmentView{Segment: seg, Members: counts[seg.ID]})
}

// createSegment answers POST /api/v1/segments: 201 with the segment, whose
// members a background pass computes (see /api/v1/segments/recompute);
// 400 with the line and column of an expression that does not compile;
// 409 when the id is taken.
func (s *Server) createSegment(w http.ResponseWriter, r *http.Request) {
	s.saveSegment(w, r, "")
}

// updateSegment answers PUT /api/v1/segments/{id}: the rule segment is
// replaced and its members recomputed.
func (s *Server) updateSegment(w http.ResponseWriter, r *http.Request) {
	s.saveSegment(w, r, r.PathValue("id"))
}

func (s *Server) saveSegment(w http.ResponseWriter, r *http.Request, id string) {
	keeper, err := s.segments()
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	var req segmentRequest
	if err := decodeAdminBody(w, r, &req); err != nil {
		s.adminError(w, r, err)
		return
	}
	now := s.cfg.Clock.Now().UTC()
	seg := &rapport.Segment{ID: req.ID, Name: strings.TrimSpace(req.Name), Description: req.Description,
		Kind: rapport.SegmentRule, Expression: req.Expression, CreatedAt: now, UpdatedAt: now}
	status := http.StatusOK
	if id == "" {
		status = http.StatusCreated
		if seg.ID == "" {
			seg.ID = membership.Slug(seg.Name)
		}
		if _, err := s.cfg.Store.FindSegment(r.Context(), seg.ID); err == nil {
			s.adminError(w, r, rapport.Errorf(rapport.ECONFLICT, "segment %s exists: change it with PUT /api/v1/segments/%s", seg.ID, seg.ID))
			return
		} else if rapport.ErrorCode(err) != rapport.ENOTFOUND {
			s.adminError(w, r, err)
			return
		}
	} else {
		old, err := s.cfg.Store.FindSegment(r.Context(), id)
		if err != nil {
			s.adminError(w, r, err)
			return
		}
		if req.ID != "" && req.ID != id {
			s.adminError(w, r, rapport.Errorf(rapport.EINVALID, "id: %q does not match the URL's %q", req.ID, id))
			return
		}
		if old.Kind != rapport.SegmentRule {
			s.adminError(w, r, rapport.Errorf(rapport.ECONFLICT, "segment %s is a discovered bucket; run rapport cluster to change it", id))
			return
		}
		seg.ID, seg.CreatedAt = id, old.CreatedAt
	}
	if err := keeper.Put(r.Context(), seg); err != nil {
		s.segmentError(w, r, err)
		return
	}
	writeJSON(w, status, segmentView{Segment: seg})
}

// deleteSegment answers DELETE /api/v1/segments/{id}.
func (s *Server) deleteSegment(w http.ResponseWriter, r *http.Request) {
	keeper, err := s.segments()
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	if err := keeper.Delete(r.Context(), r.PathValue("id")); err != nil {
		s.adminError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// memberPage is a page of a segment's members.
type memberPage struct {
	Members []rapport.Member `json:"members"`
	Total   int              `json:"total"`
	Next    string           `json:"next"`
}

// listMembers answers GET /api/v1/segments/{id}/members: a page of
// members by profile id, or with format=csv every member as CSV (profile
// id, since, user id, email).
func (s *Server) listMembers(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, err := s.cfg.Store.FindSegment(r.Context(), id); err != nil {
		s.adminError(w, r, err)
		return
	}
	if r.URL.Query().Get("format") == "csv" {
		s.exportMembers(w, r, id)
		return
	}
	p, err := parsePage(r.URL.Query())
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	members, total, err := s.cfg.Store.FindMembers(r.Context(), id, p.Offset, p.Limit)
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	out := memberPage{Members: members, Total: total}
	if p.Offset+len(members) < total && len(members) > 0 {
		out.Next = nextPageURL(r, p)
	}
	writeJSON(w, http.StatusOK, out)
}

// exportMembers streams every member as CSV, page by page.
func (s *Server) exportMembers(w http.ResponseWriter, r *http.Request, id string) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="segment-%s.csv"`, id))
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"profile_id", "since", "user_id", "email"})
	for offset := 0; ; offset += 1000 {
		members, _, err := s.cfg.Store.FindMembers(r.Context(), id, offset, 1000)
		if err != nil {
			s.cfg.Logger.Error("export members", "segment", id, "err", err)
			return
		}
		for _, m := range members {
			userID, email := "", ""
			if p, err := s.cfg.Store.FindProfileByID(r.Context(), m.ProfileID); err == nil {
				userID = p.UserID()
				for _, idn := range p.Identities {
					if idn.Kind == rapport.IdentityEmail {
						email = idn.Value
					}
				}
			}
			_ = cw.Write([]string{m.ProfileID, m.Since.UTC().Format("2006-01-02T15:04:05Z"), csvSafe(userID), csvSafe(email)})
		}
		cw.Flush()
		if len(members) < 1000 {
			return
		}
	}
}

// csvSafe keeps a spreadsheet from reading a value as a formula.
func csvSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// listSegmentHistory answers GET /api/v1/segments/{id}/history: entries
// and exits, newest first.
func (s *Server) listSegmentHistory(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, err := s.cfg.Store.FindSegment(r.Context(), id); err != nil {
		s.adminError(w, r, err)
		return
	}
	p, err := parsePage(r.URL.Query())
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	changes, err := s.cfg.Store.FindHistory(r.Context(), rapport.HistoryFilter{SegmentID: id, Offset: p.Offset, Limit: p.Limit})
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Changes []rapport.MembershipChange `json:"changes"`
	}{changes})
}

// previewRequest is the body of POST /api/v1/segments/preview.
type previewRequest struct {
	Expression string `json:"expression"`
	Sample     int    `json:"sample"`
}

// previewResponse is the live count of an unsaved expression.
type previewResponse struct {
	Matched int `json:"matched"`
	Scanned int `json:"scanned"`
	// Estimate is Matched scaled to every profile when the sample did not
	// cover them all.
	Estimate int  `json:"estimate"`
	Exact    bool `json:"exact"`
}

// previewSegment answers POST /api/v1/segments/preview: whether an
// expression compiles (400 with line and column if not) and how many
// profiles it matches, counted on up to sample profiles (default 20,000).
func (s *Server) previewSegment(w http.ResponseWriter, r *http.Request) {
	keeper, err := s.segments()
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	var req previewRequest
	if err := decodeAdminBody(w, r, &req); err != nil {
		s.adminError(w, r, err)
		return
	}
	if req.Sample <= 0 {
		req.Sample = 20_000
	}
	if req.Sample > 1_000_000 {
		s.adminError(w, r, rapport.Errorf(rapport.EINVALID, "sample: at most 1000000, got %s", strconv.Itoa(req.Sample)))
		return
	}
	matched, scanned, err := keeper.Preview(r.Context(), req.Expression, req.Sample)
	if err != nil {
		s.segmentError(w, r, err)
		return
	}
	out := previewResponse{Matched: matched, Scanned: scanned, Estimate: matched, Exact: scanned < req.Sample}
	if !out.Exact {
		_, total, err := s.cfg.Store.FindProfiles(r.Context(), rapport.ProfileFilter{Limit: 1})
		if err == nil && scanned > 0 {
			out.Estimate = int(float64(matched) * float64(total) / float64(scanned))
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// getRecompute answers GET /api/v1/segments/recompute: the latest pass.
func (s *Server) getRecompute(w http.ResponseWriter, r *http.Request) {
	keeper, err := s.segments()
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, keeper.Status())
}

// startRecompute answers POST /api/v1/segments/recompute: a pass over
// every profile starts now (202).
func (s *Server) startRecompute(w http.ResponseWriter, r *http.Request) {
	keeper, err := s.segments()
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	keeper.Start("requested through the API")
	writeJSON(w, http.StatusAccepted, keeper.Status())
}

package dashboard

import (
	"fmt"
	"net/http"

	"github.com/rapportdev/rapport"
)

// deleteView is the data of the page that asks before a segment is
// deleted.
type deleteView struct {
	Segment  *rapport.Segment
	Members  int
	Editable bool
}

// confirmDelete loads GET /segments/{id}/delete: what deleting the segment
// removes, and the form that does it.
func (h *Handler) confirmDelete(r *http.Request, _ *session) (any, error) {
	ctx := r.Context()
	seg, err := h.findSegment(ctx, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	counts, err := h.cfg.Store.CountMembers(ctx, []string{seg.ID})
	if err != nil {
		return nil, fmt.Errorf("count members of %s: %w", seg.ID, err)
	}
	return &deleteView{Segment: seg, Members: counts[seg.ID], Editable: h.cfg.Segments != nil}, nil
}

// deleteSegment answers POST /segments/{id}/delete: the segment, its
// members and its history are removed.
func (h *Handler) deleteSegment(w http.ResponseWriter, r *http.Request, s *session) {
	keeper, err := h.keeper()
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	id := r.PathValue("id")
	if err := keeper.Delete(r.Context(), id); err != nil {
		if rapport.ErrorCode(err) == rapport.ENOTFOUND {
			err = rapport.Errorf(rapport.ENOTFOUND, "There is no segment %s.", id)
		}
		h.fail(w, r, s, fmt.Errorf("delete segment %s: %w", id, err))
		return
	}
	h.cfg.Logger.Info("segment deleted", "segment", id, "by", s.KeyID)
	http.Redirect(w, r, "/segments?notice=segment-deleted", http.StatusSeeOther)
}

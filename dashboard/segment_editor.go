package dashboard

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/membership"
	"github.com/rapportdev/rapport/segment"
)

// maxSegmentNameLen bounds a segment's name, a label for people.
const maxSegmentNameLen = 200

// reservedSegmentIDs are paths under /segments/ that are pages, so no
// segment made here may take them as its id.
var reservedSegmentIDs = []string{"new", "economics", "preview"}

// editorView is the data of the rule editor. A form that fails is shown
// again as sent, with each error next to its field.
type editorView struct {
	// New is true for a segment not stored yet, whose id may be given.
	New    bool
	Action string
	// Form is the fields as sent; ID is the segment's id, the form's or,
	// when it gives none, a slug of the name.
	Form     segmentForm
	ID       string
	Editable bool
	// The errors of a refused form, each shown next to its field:
	// ExprError is a refusal of the rule other than a compile error (a
	// cycle through other segments), Problem an expression that does not
	// compile.
	NameError string
	IDError   string
	ExprError string
	Problem   *segment.CompileError
	// Check is the live count the Check button asked for.
	Check *previewAnswer
	code  int
}

func (v *editorView) status() int { return v.code }

// segmentForm is the editor's fields.
type segmentForm struct {
	ID          string
	Name        string
	Description string
	Expression  string
}

// newSegment loads GET /segments/new: an empty rule editor.
func (h *Handler) newSegment(r *http.Request, _ *session) (any, error) {
	return &editorView{New: true, Action: "/segments", Editable: h.cfg.Segments != nil}, nil
}

// editSegment loads GET /segments/{id}/edit: the editor over a stored rule
// segment. A discovered bucket is refused: rapport cluster makes those.
func (h *Handler) editSegment(r *http.Request, _ *session) (any, error) {
	seg, err := h.findRule(r, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return &editorView{Action: "/segments/" + seg.ID, Editable: h.cfg.Segments != nil, ID: seg.ID,
		Form: segmentForm{ID: seg.ID, Name: seg.Name, Description: seg.Description, Expression: seg.Expression}}, nil
}

// findRule returns a rule segment, ENOTFOUND, or ECONFLICT for a
// discovered bucket.
func (h *Handler) findRule(r *http.Request, id string) (*rapport.Segment, error) {
	seg, err := h.findSegment(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if seg.Kind != rapport.SegmentRule {
		return nil, rapport.Errorf(rapport.ECONFLICT,
			"%s is a discovered bucket: its members come from rapport cluster, so it has no rule to edit.", seg.Name)
	}
	return seg, nil
}

// readSegmentForm reads the editor's fields. Browsers send text areas with
// CRLF line ends; the stored expression keeps LF, so line numbers match.
func readSegmentForm(r *http.Request) segmentForm {
	return segmentForm{
		ID:          strings.TrimSpace(r.PostForm.Get("id")),
		Name:        strings.TrimSpace(r.PostForm.Get("name")),
		Description: strings.TrimSpace(strings.ReplaceAll(r.PostForm.Get("description"), "\r\n", "\n")),
		Expression:  strings.ReplaceAll(r.PostForm.Get("expression"), "\r\n", "\n"),
	}
}

// createSegment answers POST /segments (id, name, description, expression,
// op): op=check counts the expression's matches and shows the form again;
// otherwise the new rule segment is saved and its page shown.
func (h *Handler) createSegment(w http.ResponseWriter, r *http.Request, s *session) {
	v := &editorView{New: true, Action: "/segments", Form: readSegmentForm(r), Editable: h.cfg.Segments != nil}
	v.ID = v.Form.ID
	if v.ID == "" {
		v.ID = membership.Slug(v.Form.Name)
	}
	h.submitSegment(w, r, s, v)
}

// updateSegment answers POST /segments/{id}: the rule segment is replaced
// (op=check counts first, as for a new one).
func (h *Handler) updateSegment(w http.ResponseWriter, r *http.Request, s *session) {
	old, err := h.findRule(r, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	v := &editorView{Action: "/segments/" + old.ID, Form: readSegmentForm(r), Editable: h.cfg.Segments != nil, ID: old.ID}
	v.Form.ID = old.ID
	h.submitSegment(w, r, s, v)
}

// submitSegment checks or saves the form, and shows it again when it was
// only checked or was refused.
func (h *Handler) submitSegment(w http.ResponseWriter, r *http.Request, s *session, v *editorView) {
	keeper, err := h.keeper()
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	if r.PostForm.Get("op") == "check" {
		if v.Check, err = h.preview(r.Context(), v.Form.Expression); err != nil {
			h.fail(w, r, s, err)
			return
		}
		v.Problem = v.Check.Problem
		h.render(w, r, s, "segment_edit.html", http.StatusOK, v)
		return
	}
	if h.checkForm(r, v) {
		err = h.saveSegment(r, keeper, v)
		if err == nil {
			h.cfg.Logger.Info("segment saved", "segment", v.ID, "new", v.New, "by", s.KeyID)
			http.Redirect(w, r, "/segments/"+v.ID+"?notice=segment-saved", http.StatusSeeOther)
			return
		}
		if !refusal(err, v) {
			h.fail(w, r, s, err)
			return
		}
	}
	h.render(w, r, s, "segment_edit.html", v.code, v)
}

// checkForm checks what the keeper does not: the name's length, an id the
// pages reserve, an id taken by another segment. It sets the errors and
// the status, and reports whether the form may be saved.
func (h *Handler) checkForm(r *http.Request, v *editorView) bool {
	f := v.Form
	switch {
	case f.Name == "":
		v.NameError = "Give the segment a name, to recognise it by."
	case utf8.RuneCountInString(f.Name) > maxSegmentNameLen:
		v.NameError = fmt.Sprintf("The name is longer than %d characters.", maxSegmentNameLen)
	}
	if v.New && slices.Contains(reservedSegmentIDs, v.ID) {
		v.IDError = fmt.Sprintf("The id %s is the address of a dashboard page: give another id.", v.ID)
	}
	if v.NameError != "" || v.IDError != "" {
		v.code = http.StatusUnprocessableEntity
		return false
	}
	return true
}

// saveSegment stores the form as a rule segment: a new one must not take
// a stored segment's id; a changed one keeps its creation time.
func (h *Handler) saveSegment(r *http.Request, keeper Segments, v *editorView) error {
	ctx, f := r.Context(), v.Form
	now := h.cfg.Clock.Now().UTC()
	seg := &rapport.Segment{ID: v.ID, Name: f.Name, Description: f.Description, Kind: rapport.SegmentRule,
		Expression: f.Expression, CreatedAt: now, UpdatedAt: now}
	old, err := h.cfg.Store.FindSegment(ctx, v.ID)
	switch {
	case err == nil && v.New:
		return rapport.Errorf(rapport.ECONFLICT, "There is a segment with the id %s already: give another id, or edit that one.", v.ID)
	case err == nil:
		seg.CreatedAt = old.CreatedAt
	case rapport.ErrorCode(err) != rapport.ENOTFOUND:
		return fmt.Errorf("find segment %s: %w", v.ID, err)
	case !v.New:
		return rapport.Errorf(rapport.ENOTFOUND, "There is no segment %s: it was deleted meanwhile.", v.ID)
	}
	if err := keeper.Put(ctx, seg); err != nil {
		return fmt.Errorf("save segment %s: %w", v.ID, err)
	}
	return nil
}

// refusal puts a refused segment's error next to its field and reports
// whether err was a refusal (anything else is the server's).
func refusal(err error, v *editorView) bool {
	var ce *segment.CompileError
	msg := rapport.ErrorMessage(err)
	v.code = http.StatusUnprocessableEntity
	switch code := rapport.ErrorCode(err); {
	case errors.As(err, &ce):
		v.Problem = ce
	case code == rapport.ECONFLICT && v.New:
		v.IDError, v.code = msg, http.StatusConflict
	case code != rapport.EINVALID:
		return false
	case strings.HasPrefix(msg, "name:"):
		v.NameError = msg
	case strings.HasPrefix(msg, "id "):
		v.IDError = msg
	default: // a cycle through other segments, say
		v.ExprError = msg
	}
	return true
}

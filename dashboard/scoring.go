package dashboard

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/scoring"
)

// saveScoring answers POST /settings/scoring (model): the edited model
// becomes the next version and every profile is rescored. A refused model
// is shown again as sent, with each problem's field and line next to it.
func (h *Handler) saveScoring(w http.ResponseWriter, r *http.Request, s *session) {
	if h.cfg.Scoring == nil {
		h.fail(w, r, s, rapport.Errorf(rapport.ECONFLICT, "This server does not manage a scoring model."))
		return
	}
	// Browsers send text areas with CRLF line ends; the stored model keeps
	// the LF ends it was written with.
	body := strings.ReplaceAll(r.PostForm.Get("model"), "\r\n", "\n")
	m, err := h.cfg.Scoring.Replace(r.Context(), []byte(body))
	if err == nil {
		h.cfg.Logger.Info("scoring model replaced", "version", m.Version, "by", s.KeyID)
		http.Redirect(w, r, "/settings?notice=scoring-saved#scoring", http.StatusSeeOther)
		return
	}
	v := &settingsView{Model: body, modelSent: true}
	var ve *scoring.ValidationError
	switch {
	case errors.As(err, &ve):
		v.ModelErr, v.Problems = "The model was not saved: fix the problems below.", ve.Problems
	case rapport.ErrorCode(err) == rapport.EINVALID || rapport.ErrorCode(err) == rapport.ECONFLICT:
		v.ModelErr = "The model was not saved: " + rapport.ErrorMessage(err)
	default:
		h.fail(w, r, s, fmt.Errorf("replace scoring model: %w", err))
		return
	}
	h.showSettings(w, r, s, v, http.StatusUnprocessableEntity)
}

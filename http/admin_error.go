package http

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/rapportdev/rapport"
)

// mergedError says a profile is gone because identity resolution folded it
// into another one. It unwraps to an ENOTFOUND domain error, so anything
// that only knows codes still answers 404.
type mergedError struct {
	ID   string
	Into string
}

// Error implements the error interface.
func (e *mergedError) Error() string {
	return fmt.Sprintf("profile %s was merged into %s", e.ID, e.Into)
}

// Unwrap returns the not-found domain error the merge amounts to.
func (e *mergedError) Unwrap() error {
	return rapport.Errorf(rapport.ENOTFOUND, "profile %s was merged into %s", e.ID, e.Into)
}

// mergedResponse is the 404 body for a merged profile: the error plus the
// survivor, so a client holding an old id can follow it.
type mergedResponse struct {
	Error      string `json:"error"`
	Code       string `json:"code"`
	MergedInto string `json:"mergedInto"`
}

// adminError writes err like writeError, with the two answers the admin
// API adds: 404 naming the survivor of a merge, and 413 for a body over
// the limit.
func (s *Server) adminError(w http.ResponseWriter, r *http.Request, err error) {
	var merged *mergedError
	switch {
	case errors.As(err, &merged):
		writeJSON(w, http.StatusNotFound, mergedResponse{
			Error: rapport.ErrorMessage(err), Code: rapport.ENOTFOUND, MergedInto: merged.Into,
		})
	case errors.Is(err, errBodyTooLarge):
		writeJSON(w, http.StatusRequestEntityTooLarge, errorResponse{
			Error: rapport.ErrorMessage(err), Code: rapport.EINVALID,
		})
	default:
		s.writeError(w, r, err)
	}
}

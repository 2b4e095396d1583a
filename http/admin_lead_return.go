package http

import (
	"net/http"
)

// returnRequest is the body of POST /api/v1/leads/{id}/return.
type returnRequest struct {
	Reason string `json:"reason"`
}

// returnLead answers POST /api/v1/leads/{id}/return: the lead given back
// to its vendor for credit, when the vendor's contract accepts the reason
// and its return window is open. 400 for a reason the contract does not
// list, 409 when the lead cannot be returned (window closed, returned
// already, not paid, no returns in the contract).
func (s *Server) returnLead(w http.ResponseWriter, r *http.Request) {
	svc, ok := s.leadService(w, r)
	if !ok {
		return
	}
	var req returnRequest
	if err := decodeAdminBody(w, r, &req); err != nil {
		s.adminError(w, r, err)
		return
	}
	l, err := svc.Return(r.Context(), r.PathValue("id"), req.Reason)
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, l)
}

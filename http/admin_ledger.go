package http

import (
	"fmt"
	"net/http"

	"github.com/rapportdev/rapport"
)

// orderList is a profile's order ledger, oldest first.
type orderList struct {
	Orders []rapport.Order `json:"orders"`
}

// mergeList is the merges into or out of a profile, oldest first.
type mergeList struct {
	Merges []rapport.Merge `json:"merges"`
}

// listProfileOrders answers GET /api/v1/profiles/{id}/orders.
func (s *Server) listProfileOrders(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, err := s.findProfile(r.Context(), id); err != nil {
		s.adminError(w, r, err)
		return
	}
	orders, err := s.cfg.Store.FindOrders(r.Context(), id)
	if err != nil {
		s.adminError(w, r, fmt.Errorf("find orders of %s: %w", id, err))
		return
	}
	writeJSON(w, http.StatusOK, orderList{Orders: append([]rapport.Order{}, orders...)})
}

// listProfileMerges answers GET /api/v1/profiles/{id}/merges.
func (s *Server) listProfileMerges(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, err := s.findProfile(r.Context(), id); err != nil {
		s.adminError(w, r, err)
		return
	}
	merges, err := s.cfg.Store.FindMerges(r.Context(), id)
	if err != nil {
		s.adminError(w, r, fmt.Errorf("find merges of %s: %w", id, err))
		return
	}
	writeJSON(w, http.StatusOK, mergeList{Merges: append([]rapport.Merge{}, merges...)})
}

package http

import (
	"context"
	"fmt"
	"net/http"

	"github.com/rapportdev/rapport"
)

// eventPage is one page of a profile's events, newest first.
type eventPage struct {
	Events []rapport.Event `json:"events"`
	Limit  int             `json:"limit"`
	Offset int             `json:"offset"`
	// Next is the relative URL of the following page, "" on the last.
	Next string `json:"next"`
}

// listProfileEvents answers GET /api/v1/profiles/{id}/events?limit=&offset=.
func (s *Server) listProfileEvents(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	p, err := parsePage(r.URL.Query())
	if err == nil {
		_, err = s.findProfile(r.Context(), id)
	}
	var events []rapport.Event
	var more bool
	if err == nil {
		events, more, err = s.findEventPage(r.Context(), id, p)
	}
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	out := eventPage{Events: events, Limit: p.Limit, Offset: p.Offset}
	if more {
		out.Next = nextPageURL(r, p)
	}
	writeJSON(w, http.StatusOK, out)
}

// findEventPage returns page p of the profile's events (never nil) and
// whether another page follows.
func (s *Server) findEventPage(ctx context.Context, id string, p page) ([]rapport.Event, bool, error) {
	events, err := s.cfg.Store.FindEvents(ctx, rapport.EventFilter{ProfileID: id, Offset: p.Offset, Limit: p.Limit})
	if err != nil {
		return nil, false, fmt.Errorf("find events of %s: %w", id, err)
	}
	if events == nil {
		events = []rapport.Event{}
	}
	if len(events) < p.Limit {
		return events, false, nil
	}
	// A full page does not prove there is another: look one event past it
	// so the last page never links to an empty one.
	after, err := s.cfg.Store.FindEvents(ctx, rapport.EventFilter{ProfileID: id, Offset: p.Offset + p.Limit, Limit: 1})
	if err != nil {
		return nil, false, fmt.Errorf("find events of %s: %w", id, err)
	}
	return events, len(after) > 0, nil
}

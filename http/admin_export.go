package http

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/rapportdev/rapport"
)

// exportPageSize is how many events each store read of an export fetches:
// the store's largest page.
const exportPageSize = 1000

// profileExport is everything Rapport holds about one person, the answer
// to a data subject's access request (GDPR article 15).
type profileExport struct {
	ExportedAt time.Time `json:"exportedAt"`
	// Profile holds the identities, traits and aggregates.
	Profile profileView     `json:"profile"`
	Events  []rapport.Event `json:"events"`
	Orders  []rapport.Order `json:"orders"`
	Merges  []rapport.Merge `json:"merges"`
}

// exportProfile answers GET /api/v1/profiles/{id}/export with the whole
// record as a JSON file download.
func (s *Server) exportProfile(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	out, err := s.buildExport(r.Context(), id)
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="profile-%s.json"`, fileSafe(id)))
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, out)
}

// buildExport gathers the profile, all its events, its ledger and merges.
func (s *Server) buildExport(ctx context.Context, id string) (*profileExport, error) {
	p, err := s.findProfile(ctx, id)
	if err != nil {
		return nil, err
	}
	out := &profileExport{ExportedAt: s.cfg.Clock.Now(), Profile: viewProfile(p)}
	if out.Events, err = s.allEvents(ctx, id); err != nil {
		return nil, err
	}
	if out.Orders, err = s.cfg.Store.FindOrders(ctx, id); err != nil {
		return nil, fmt.Errorf("export orders of %s: %w", id, err)
	}
	if out.Merges, err = s.cfg.Store.FindMerges(ctx, id); err != nil {
		return nil, fmt.Errorf("export merges of %s: %w", id, err)
	}
	out.Orders = append([]rapport.Order{}, out.Orders...)
	out.Merges = append([]rapport.Merge{}, out.Merges...)
	return out, nil
}

// allEvents pages through the profile's events, newest first, until a
// page comes back empty. Events arriving meanwhile shift the pages and can
// show one event twice; its messageId drops the repeat.
func (s *Server) allEvents(ctx context.Context, id string) ([]rapport.Event, error) {
	all := []rapport.Event{}
	seen := make(map[string]bool)
	for offset := 0; ; {
		events, err := s.cfg.Store.FindEvents(ctx, rapport.EventFilter{ProfileID: id, Offset: offset, Limit: exportPageSize})
		if err != nil {
			return nil, fmt.Errorf("export events of %s at offset %d: %w", id, offset, err)
		}
		if len(events) == 0 {
			return all, nil
		}
		for _, e := range events {
			if !seen[e.MessageID] {
				seen[e.MessageID] = true
				all = append(all, e)
			}
		}
		offset += len(events)
	}
}

// fileSafe keeps the characters a filename in a quoted header parameter
// can hold anywhere, replacing the rest with "_".
func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, s)
}

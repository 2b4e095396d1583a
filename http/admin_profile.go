package http

import (
	"context"
	"fmt"
	"net/http"

	"github.com/rapportdev/rapport"
)

// profileView is a profile as the admin API shows it: the domain JSON with
// identities, traits and groups always present (as [] or {}), so clients
// need not tell a missing field from an empty one.
type profileView struct {
	*rapport.Profile
	Identities []rapport.Identity `json:"identities"`
	Traits     map[string]any     `json:"traits"`
	Groups     []string           `json:"groups"`
}

// viewProfile returns p ready to encode.
func viewProfile(p *rapport.Profile) profileView {
	v := profileView{Profile: p, Identities: p.Identities, Traits: p.Traits, Groups: p.Groups}
	if v.Identities == nil {
		v.Identities = []rapport.Identity{}
	}
	if v.Traits == nil {
		v.Traits = map[string]any{}
	}
	if v.Groups == nil {
		v.Groups = []string{}
	}
	return v
}

// getProfile answers GET /api/v1/profiles/{id}: the profile, or 404 (with
// mergedInto when identity resolution folded it into another profile).
func (s *Server) getProfile(w http.ResponseWriter, r *http.Request) {
	p, err := s.findProfile(r.Context(), r.PathValue("id"))
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, viewProfile(p))
}

// deleteProfile answers DELETE /api/v1/profiles/{id}: it erases the person
// and everything held about them, and returns the erasure receipt.
func (s *Server) deleteProfile(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	erasure, err := s.erase(r.Context(), id)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		err = s.explainMissing(r.Context(), id, err)
	} else if err != nil {
		err = fmt.Errorf("erase profile %s: %w", id, err)
	}
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	if erasure.Identities == nil {
		erasure.Identities = []rapport.Identity{}
	}
	s.cfg.Logger.Info("profile erased", "profile", id, "events", erasure.Events, "orders", erasure.Orders)
	writeJSON(w, http.StatusOK, erasure)
}

// erase deletes the person through the processor when there is one, so the
// erasure cannot interleave with a batch that still holds the profile.
func (s *Server) erase(ctx context.Context, id string) (*rapport.Erasure, error) {
	if s.cfg.Processor != nil {
		return s.cfg.Processor.Erase(ctx, id)
	}
	return s.cfg.Store.DeleteProfile(ctx, id)
}

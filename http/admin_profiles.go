package http

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/rapportdev/rapport"
)

// traitParamPrefix starts the query parameter that filters by a trait:
// trait.plan=pro keeps profiles whose plan trait is "pro".
const traitParamPrefix = "trait."

// profilePage is one page of the profile list.
type profilePage struct {
	Profiles []profileView `json:"profiles"`
	// Total counts every profile matching the filter, across pages.
	Total  int    `json:"total"`
	Limit  int    `json:"limit"`
	Offset int    `json:"offset"`
	Next   string `json:"next"`
}

// listProfiles answers GET /api/v1/profiles?kind=&trait.KEY=VALUE&limit=&offset=.
func (s *Server) listProfiles(w http.ResponseWriter, r *http.Request) {
	filter, err := parseProfileFilter(r.URL.Query())
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	profiles, total, err := s.cfg.Store.FindProfiles(r.Context(), filter)
	if err != nil {
		s.adminError(w, r, fmt.Errorf("find profiles: %w", err))
		return
	}
	out := profilePage{Profiles: make([]profileView, 0, len(profiles)), Total: total,
		Limit: filter.Limit, Offset: filter.Offset}
	for _, p := range profiles {
		out.Profiles = append(out.Profiles, viewProfile(p))
	}
	if filter.Offset+len(profiles) < total && len(profiles) > 0 {
		out.Next = nextPageURL(r, page{Limit: filter.Limit, Offset: filter.Offset})
	}
	writeJSON(w, http.StatusOK, out)
}

// parseProfileFilter reads the paging, kind and trait parameters.
func parseProfileFilter(q url.Values) (rapport.ProfileFilter, error) {
	p, err := parsePage(q)
	if err != nil {
		return rapport.ProfileFilter{}, err
	}
	f := rapport.ProfileFilter{Limit: p.Limit, Offset: p.Offset}
	switch kind := rapport.ProfileKind(q.Get("kind")); kind {
	case "", rapport.ProfilePerson, rapport.ProfileAccount:
		f.Kind = kind
	default:
		return f, rapport.Errorf(rapport.EINVALID, "kind: must be person or account")
	}
	f.TraitKey, f.TraitValue, err = traitFilter(q)
	return f, err
}

// traitFilter returns the one trait.KEY=VALUE filter of the query, if any.
// The store filters on one trait; refusing several beats silently
// ignoring all but one.
func traitFilter(q url.Values) (key, value string, err error) {
	for param, vals := range q {
		name, ok := strings.CutPrefix(param, traitParamPrefix)
		switch {
		case !ok:
			continue
		case key != "" || len(vals) != 1:
			return "", "", rapport.Errorf(rapport.EINVALID, "trait.*: only one trait filter is supported")
		case name == "":
			return "", "", rapport.Errorf(rapport.EINVALID, "trait.: name the trait, as in trait.plan=pro")
		}
		key, value = name, vals[0]
	}
	return key, value, nil
}

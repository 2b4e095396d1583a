package http

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/rapportdev/rapport"
)

// lookupParams maps the lookup query parameters, named as in the Segment
// spec, to the identity kinds they search.
var lookupParams = []struct {
	name string
	kind rapport.IdentityKind
}{
	{"userId", rapport.IdentityUserID},
	{"anonymousId", rapport.IdentityAnonymousID},
	{"email", rapport.IdentityEmail},
	{"phone", rapport.IdentityPhone},
	{"groupId", rapport.IdentityGroupID},
}

// lookupProfile answers GET /api/v1/profiles/lookup?email=...: the profile
// holding the identity, normalised the way ingestion normalises it, so
// "Ann@Example.COM" finds "ann@example.com".
func (s *Server) lookupProfile(w http.ResponseWriter, r *http.Request) {
	ident, err := parseLookup(r.URL.Query())
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	id, err := s.cfg.Store.FindProfileIDByIdentity(r.Context(), ident)
	if err != nil {
		if rapport.ErrorCode(err) != rapport.ENOTFOUND {
			err = fmt.Errorf("look up %s: %w", ident.Kind, err)
		}
		s.adminError(w, r, err)
		return
	}
	p, err := s.findProfile(r.Context(), id)
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, viewProfile(p))
}

// parseLookup returns the one identity the query names, normalised.
func parseLookup(q url.Values) (rapport.Identity, error) {
	name, kind, err := lookupParam(q)
	if err != nil {
		return rapport.Identity{}, err
	}
	ident, ok := rapport.NewIdentity(kind, q.Get(name))
	if !ok {
		return ident, rapport.Errorf(rapport.EINVALID, "%s: %q is not a valid %s", name, q.Get(name), kind)
	}
	return ident, nil
}

// lookupParam returns the name and kind of the one identity parameter the
// query gives; several, none or a repeated one is an EINVALID error.
func lookupParam(q url.Values) (string, rapport.IdentityKind, error) {
	var name string
	var kind rapport.IdentityKind
	for _, lp := range lookupParams {
		vals, ok := q[lp.name]
		switch {
		case !ok:
			continue
		case name != "":
			return "", "", rapport.Errorf(rapport.EINVALID, "%s and %s: give only one identity", name, lp.name)
		case len(vals) != 1:
			return "", "", rapport.Errorf(rapport.EINVALID, "%s: give it once", lp.name)
		}
		name, kind = lp.name, lp.kind
	}
	if name == "" {
		return "", "", rapport.Errorf(rapport.EINVALID, "give one of userId, anonymousId, email, phone or groupId")
	}
	return name, kind, nil
}

package dashboard

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/lead"
)

// leadPerson loads GET /vendors/people/{id}: the profile of a person who
// came as bought leads, found by the anonymous id every lead of theirs
// is sent with. It redirects, so it never renders a template.
func (h *Handler) leadPerson(r *http.Request, _ *session) (any, error) {
	id := r.PathValue("id")
	pid, err := h.cfg.Store.FindProfileIDByIdentity(r.Context(),
		rapport.Identity{Kind: rapport.IdentityAnonymousID, Value: lead.AnonymousID(id)})
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		return nil, rapport.Errorf(rapport.ENOTFOUND,
			"No profile holds the lead person %s yet: their events may still be on their way, or they were erased.", id)
	} else if err != nil {
		return nil, fmt.Errorf("find the profile of lead person %s: %w", id, err)
	}
	return nil, &redirect{to: "/profiles/" + url.PathEscape(pid)}
}

package dashboard

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"

	"github.com/rapportdev/rapport"
)

// exportPage is how many members the CSV export reads at a time.
const exportPage = 1000

// exportMembers answers GET /segments/{id}/members.csv: every member as
// CSV (profile id, since, user id, email), the same columns as the admin
// API's ?format=csv, streamed a page at a time.
func (h *Handler) exportMembers(w http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	seg, err := h.findSegment(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="segment-%s.csv"`, fileSafe(seg.ID)))
	w.Header().Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"profile_id", "since", "user_id", "email"})
	for offset := 0; ; offset += exportPage {
		ms, _, err := h.cfg.Store.FindMembers(ctx, seg.ID, offset, exportPage)
		if err != nil {
			// The status is sent: the download ends short, and the log
			// says why.
			h.cfg.Logger.Error("dashboard: export members", "segment", seg.ID, "err", err)
			return
		}
		for _, m := range ms {
			rec, err := h.memberRecord(r, m)
			if err != nil {
				h.cfg.Logger.Error("dashboard: export members", "segment", seg.ID, "err", err)
				return
			}
			if err := cw.Write(rec); err != nil {
				return // the browser went away
			}
		}
		cw.Flush()
		if len(ms) < exportPage || cw.Error() != nil {
			return
		}
	}
}

// memberRecord is a member's line: identities of a profile erased since
// it was listed are left empty.
func (h *Handler) memberRecord(r *http.Request, m rapport.Member) ([]string, error) {
	userID, email := "", ""
	p, err := h.lookupProfile(r.Context(), m.ProfileID)
	if err != nil {
		return nil, err
	}
	if p != nil {
		userID = p.UserID()
		for _, idn := range p.Identities {
			if idn.Kind == rapport.IdentityEmail {
				email = idn.Value
			}
		}
	}
	return []string{csvSafe(m.ProfileID), m.Since.UTC().Format("2006-01-02T15:04:05Z"), csvSafe(userID), csvSafe(email)}, nil
}

// csvSafe keeps a spreadsheet from reading a value as a formula: text
// starting with =, +, -, @, a tab or a carriage return gets a leading '.
func csvSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// fileSafe keeps the letters, digits, - and _ of a name for a download's
// file name.
func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, s)
}

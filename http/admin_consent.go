package http

import (
	"fmt"
	"net/http"

	"github.com/rapportdev/rapport"
)

// consentRecordsScan bounds the events read for a profile's consent
// records: the newest 10,000 events.
const consentRecordsScan = 10_000

// consentView is a person's consent and its proof.
type consentView struct {
	// Consents is the latest record per channel.
	Consents map[string]rapport.Consent `json:"consents"`
	// Records are the consent events stored, newest first, as received.
	Records []rapport.Event `json:"records"`
}

// getConsent answers GET /api/v1/profiles/{id}/consent.
func (s *Server) getConsent(w http.ResponseWriter, r *http.Request) {
	p, err := s.findProfile(r.Context(), r.PathValue("id"))
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	out := consentView{Consents: p.Consents, Records: []rapport.Event{}}
	if out.Consents == nil {
		out.Consents = map[string]rapport.Consent{}
	}
	for offset := 0; offset < consentRecordsScan; offset += 1000 {
		events, err := s.cfg.Store.FindEvents(r.Context(), rapport.EventFilter{ProfileID: p.ID, Offset: offset, Limit: 1000})
		if err != nil {
			s.adminError(w, r, fmt.Errorf("find consent records of %s: %w", p.ID, err))
			return
		}
		for _, ev := range events {
			if ev.Type == rapport.EventTrack && (ev.Event == rapport.EventConsentGranted || ev.Event == rapport.EventConsentRevoked) {
				out.Records = append(out.Records, ev)
			}
		}
		if len(events) < 1000 {
			break
		}
	}
	writeJSON(w, http.StatusOK, out)
}

package http

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/decide"
	"github.com/rapportdev/rapport/offer"
)

// Offers is the offer service (decide.Service): the catalog, triggers,
// decisions and outcomes.
type Offers interface {
	// PutOffer compiles, stores and puts in use an offer; a broken
	// eligibility is a *offer.CompileError.
	PutOffer(ctx context.Context, o *rapport.Offer) error
	DeleteOffer(ctx context.Context, id string) error
	PutTrigger(ctx context.Context, t *rapport.Trigger) error
	DeleteTrigger(ctx context.Context, id string) error
	// Decide ranks the offers for a person in a context.
	Decide(ctx context.Context, req decide.Request) (*rapport.Decision, error)
	// Decision returns a recorded decision.
	Decision(ctx context.Context, id string) (*rapport.Decision, error)
	// RecordOutcomes records outcomes and returns the new ones.
	RecordOutcomes(ctx context.Context, reqs []decide.OutcomeRequest) ([]rapport.Outcome, error)
	// Report counts outcomes per offer and arm since a time.
	Report(ctx context.Context, since time.Time) (offer.Report, error)
	// Funnel counts the relationship funnel per period.
	Funnel(ctx context.Context, req decide.FunnelRequest) (offer.Funnel, error)
}

// offerProblem is a refused eligibility or trigger condition, with where.
type offerProblem struct {
	Error   string              `json:"error"`
	Code    string              `json:"code"`
	Problem *offer.CompileError `json:"problem"`
}

// offers returns the configured service, or ENOTFOUND.
func (s *Server) offers() (Offers, error) {
	if s.cfg.Offers == nil {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "offers are not available on this process")
	}
	return s.cfg.Offers, nil
}

// offerError writes a compile error with its line and column, or any other
// error as usual.
func (s *Server) offerError(w http.ResponseWriter, r *http.Request, err error) {
	var ce *offer.CompileError
	if errors.As(err, &ce) {
		writeJSON(w, http.StatusBadRequest, offerProblem{Error: ce.Error(), Code: rapport.EINVALID, Problem: ce})
		return
	}
	s.adminError(w, r, err)
}

// listOffers answers GET /api/v1/offers: the catalog, by id.
func (s *Server) listOffers(w http.ResponseWriter, r *http.Request) {
	offers, err := s.cfg.Store.FindOffers(r.Context())
	if err != nil {
		s.adminError(w, r, fmt.Errorf("find offers: %w", err))
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Offers []*rapport.Offer `json:"offers"`
	}{offers})
}

// getOffer answers GET /api/v1/offers/{id}.
func (s *Server) getOffer(w http.ResponseWriter, r *http.Request) {
	o, err := s.cfg.Store.FindOffer(r.Context(), r.PathValue("id"))
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, o)
}

// createOffer answers POST /api/v1/offers: 201 with the offer, in use at
// once; 400 with the line and column of an eligibility that does not
// compile; 409 when the id is taken.
func (s *Server) createOffer(w http.ResponseWriter, r *http.Request) { s.saveOffer(w, r, "") }

// updateOffer answers PUT /api/v1/offers/{id}: the offer is replaced.
func (s *Server) updateOffer(w http.ResponseWriter, r *http.Request) {
	s.saveOffer(w, r, r.PathValue("id"))
}

func (s *Server) saveOffer(w http.ResponseWriter, r *http.Request, id string) {
	svc, err := s.offers()
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	var o rapport.Offer
	if err := decodeAdminBody(w, r, &o); err != nil {
		s.adminError(w, r, err)
		return
	}
	now := s.cfg.Clock.Now().UTC()
	o.CreatedAt, o.UpdatedAt = now, now
	status := http.StatusCreated
	if id == "" {
		err = s.offerIsNew(r.Context(), o.ID)
	} else {
		status = http.StatusOK
		err = s.offerReplaces(r.Context(), &o, id)
	}
	if err == nil {
		err = svc.PutOffer(r.Context(), &o)
	}
	if err != nil {
		s.offerError(w, r, err)
		return
	}
	writeJSON(w, status, &o)
}

// offerIsNew returns ECONFLICT when an offer has the id.
func (s *Server) offerIsNew(ctx context.Context, id string) error {
	_, err := s.cfg.Store.FindOffer(ctx, id)
	switch rapport.ErrorCode(err) {
	case "":
		return rapport.Errorf(rapport.ECONFLICT, "offer %s exists: change it with PUT /api/v1/offers/%s", id, id)
	case rapport.ENOTFOUND:
		return nil
	}
	return err
}

// offerReplaces makes o the new version of the stored offer id (ENOTFOUND
// when there is none), keeping its creation time.
func (s *Server) offerReplaces(ctx context.Context, o *rapport.Offer, id string) error {
	if err := matchID(o.ID, id); err != nil {
		return err
	}
	old, err := s.cfg.Store.FindOffer(ctx, id)
	if err != nil {
		return err
	}
	o.ID, o.CreatedAt = id, old.CreatedAt
	return nil
}

// matchID refuses a body whose id is not the URL's.
func matchID(body, url string) error {
	if body != "" && body != url {
		return rapport.Errorf(rapport.EINVALID, "id: %q does not match the URL's %q", body, url)
	}
	return nil
}

// deleteOffer answers DELETE /api/v1/offers/{id}; its decisions and
// outcomes stay in reports.
func (s *Server) deleteOffer(w http.ResponseWriter, r *http.Request) {
	svc, err := s.offers()
	if err == nil {
		err = svc.DeleteOffer(r.Context(), r.PathValue("id"))
	}
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// listTriggers answers GET /api/v1/triggers.
func (s *Server) listTriggers(w http.ResponseWriter, r *http.Request) {
	triggers, err := s.cfg.Store.FindTriggers(r.Context())
	if err != nil {
		s.adminError(w, r, fmt.Errorf("find triggers: %w", err))
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Triggers []*rapport.Trigger `json:"triggers"`
	}{triggers})
}

// createTrigger answers POST /api/v1/triggers (201; an existing id is
// replaced: triggers have no history to protect).
func (s *Server) createTrigger(w http.ResponseWriter, r *http.Request) { s.saveTrigger(w, r, "") }

// updateTrigger answers PUT /api/v1/triggers/{id}.
func (s *Server) updateTrigger(w http.ResponseWriter, r *http.Request) {
	s.saveTrigger(w, r, r.PathValue("id"))
}

func (s *Server) saveTrigger(w http.ResponseWriter, r *http.Request, id string) {
	svc, err := s.offers()
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	var t rapport.Trigger
	if err := decodeAdminBody(w, r, &t); err != nil {
		s.adminError(w, r, err)
		return
	}
	now := s.cfg.Clock.Now().UTC()
	t.CreatedAt, t.UpdatedAt = now, now
	status := http.StatusCreated
	if id != "" {
		if err := matchID(t.ID, id); err != nil {
			s.adminError(w, r, err)
			return
		}
		t.ID, status = id, http.StatusOK
	}
	if err := svc.PutTrigger(r.Context(), &t); err != nil {
		s.offerError(w, r, err)
		return
	}
	writeJSON(w, status, &t)
}

// deleteTrigger answers DELETE /api/v1/triggers/{id}.
func (s *Server) deleteTrigger(w http.ResponseWriter, r *http.Request) {
	svc, err := s.offers()
	if err == nil {
		err = svc.DeleteTrigger(r.Context(), r.PathValue("id"))
	}
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// offerReport answers GET /api/v1/offers/report?since=RFC3339: per offer
// and arm, shown, accepted, the accept rate with its 95% interval,
// revenue and the lift over the control group; per stage and overall.
func (s *Server) offerReport(w http.ResponseWriter, r *http.Request) {
	svc, err := s.offers()
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	var since time.Time
	if v := r.URL.Query().Get("since"); v != "" {
		if since, err = time.Parse(time.RFC3339, v); err != nil {
			s.adminError(w, r, rapport.Errorf(rapport.EINVALID, "since: want an RFC 3339 time such as 2026-03-01T00:00:00Z"))
			return
		}
	}
	rep, err := svc.Report(r.Context(), since)
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

// decideRequest is the body of POST /api/v1/decide: one way to name the
// person, and the context.
type decideRequest struct {
	ProfileID   string                  `json:"profileId"`
	UserID      string                  `json:"userId"`
	AnonymousID string                  `json:"anonymousId"`
	Email       string                  `json:"email"`
	Phone       string                  `json:"phone"`
	Context     rapport.DecisionContext `json:"context"`
	Limit       int                     `json:"limit"`
}

// identity returns the one identity the request names, normalised as
// ingestion normalises it.
func (d decideRequest) identity() (rapport.Identity, error) {
	var out rapport.Identity
	for _, c := range []struct {
		name, value string
		kind        rapport.IdentityKind
	}{{"userId", d.UserID, rapport.IdentityUserID}, {"anonymousId", d.AnonymousID, rapport.IdentityAnonymousID},
		{"email", d.Email, rapport.IdentityEmail}, {"phone", d.Phone, rapport.IdentityPhone}} {
		if c.value == "" {
			continue
		}
		if out.Value != "" || d.ProfileID != "" {
			return out, rapport.Errorf(rapport.EINVALID, "name the person once: profileId, userId, anonymousId, email or phone")
		}
		id, ok := rapport.NewIdentity(c.kind, c.value)
		if !ok {
			return out, rapport.Errorf(rapport.EINVALID, "%s: %q is not a valid %s", c.name, c.value, c.kind)
		}
		out = id
	}
	return out, nil
}

// decideOffers answers POST /api/v1/decide: the ranked offers for the
// person in the context, each with its reason, and the consent check made.
func (s *Server) decideOffers(w http.ResponseWriter, r *http.Request) {
	svc, err := s.offers()
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	var req decideRequest
	if err := decodeAdminBody(w, r, &req); err != nil {
		s.adminError(w, r, err)
		return
	}
	ident, err := req.identity()
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	req.Context.Channel = strings.ToLower(req.Context.Channel)
	d, err := svc.Decide(r.Context(), decide.Request{ProfileID: req.ProfileID, Identity: ident, Context: req.Context, Limit: req.Limit})
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// getDecision answers GET /api/v1/decisions/{id}: the decision as
// recorded, with its consent check.
func (s *Server) getDecision(w http.ResponseWriter, r *http.Request) {
	svc, err := s.offers()
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	d, err := svc.Decision(r.Context(), r.PathValue("id"))
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// outcomeItem is one outcome of POST /api/v1/outcomes.
type outcomeItem struct {
	DecisionID string    `json:"decisionId"`
	OfferID    string    `json:"offerId"`
	Type       string    `json:"type"`
	Revenue    float64   `json:"revenue"`
	At         time.Time `json:"at"`
}

// outcomesRequest is the body of POST /api/v1/outcomes: one outcome, or
// several under "outcomes".
type outcomesRequest struct {
	Outcomes []outcomeItem `json:"outcomes"`
	outcomeItem
}

// recordOutcomes answers POST /api/v1/outcomes: what became of offers
// decisions returned. The answer lists the outcomes that were new (a
// retried request adds none).
func (s *Server) recordOutcomes(w http.ResponseWriter, r *http.Request) {
	svc, err := s.offers()
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	var req outcomesRequest
	if err := decodeAdminBody(w, r, &req); err != nil {
		s.adminError(w, r, err)
		return
	}
	items := req.Outcomes
	if req.outcomeItem != (outcomeItem{}) {
		items = append(items, req.outcomeItem)
	}
	reqs := make([]decide.OutcomeRequest, len(items))
	for i, it := range items {
		reqs[i] = decide.OutcomeRequest{DecisionID: it.DecisionID, OfferID: it.OfferID, Type: it.Type, Revenue: it.Revenue, At: it.At}
	}
	added, err := svc.RecordOutcomes(r.Context(), reqs)
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	if added == nil {
		added = []rapport.Outcome{}
	}
	writeJSON(w, http.StatusOK, struct {
		Recorded []rapport.Outcome `json:"recorded"`
	}{added})
}

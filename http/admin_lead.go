package http

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/lead"
	"github.com/rapportdev/rapport/leads"
)

// vendorRequest is the body of POST /api/v1/vendors and PUT
// /api/v1/vendors/{id}. Active defaults to true.
type vendorRequest struct {
	ID         string              `json:"id"`
	Name       string              `json:"name"`
	Exclusive  bool                `json:"exclusive"`
	SharedWith int                 `json:"sharedWith"`
	Price      float64             `json:"price"`
	Attributes map[string]string   `json:"attributes"`
	Terms      rapport.VendorTerms `json:"terms"`
	Active     *bool               `json:"active"`
}

func (req *vendorRequest) vendor() *rapport.Vendor {
	return &rapport.Vendor{ID: strings.TrimSpace(req.ID), Name: strings.TrimSpace(req.Name), Exclusive: req.Exclusive,
		SharedWith: req.SharedWith, Price: req.Price, Attributes: req.Attributes, Terms: req.Terms,
		Active: req.Active == nil || *req.Active}
}

// vendorView is a vendor with the ids of its keys.
type vendorView struct {
	*rapport.Vendor
	Keys []*rapport.Key `json:"keys"`
}

// listVendors answers GET /api/v1/vendors.
func (s *Server) listVendors(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.leadService(w, r); !ok {
		return
	}
	vs, err := s.cfg.Store.FindVendors(r.Context())
	if err != nil {
		s.adminError(w, r, fmt.Errorf("find vendors: %w", err))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"vendors": append([]*rapport.Vendor{}, vs...)})
}

// createVendor answers POST /api/v1/vendors with the new vendor.
func (s *Server) createVendor(w http.ResponseWriter, r *http.Request) {
	svc, ok := s.leadService(w, r)
	if !ok {
		return
	}
	var req vendorRequest
	if err := decodeAdminBody(w, r, &req); err != nil {
		s.adminError(w, r, err)
		return
	}
	v := req.vendor()
	if err := svc.CreateVendor(r.Context(), v); err != nil {
		s.adminError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, v)
}

// getVendor answers GET /api/v1/vendors/{id}: the vendor and its keys.
func (s *Server) getVendor(w http.ResponseWriter, r *http.Request) {
	svc, ok := s.leadService(w, r)
	if !ok {
		return
	}
	v, err := s.cfg.Store.FindVendorByID(r.Context(), r.PathValue("id"))
	var keys []*rapport.Key
	if err == nil {
		keys, err = svc.VendorKeys(r.Context(), v.ID)
	}
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, vendorView{Vendor: v, Keys: keys})
}

// updateVendor answers PUT /api/v1/vendors/{id}: the vendor's settings
// replaced whole.
func (s *Server) updateVendor(w http.ResponseWriter, r *http.Request) {
	svc, ok := s.leadService(w, r)
	if !ok {
		return
	}
	var req vendorRequest
	if err := decodeAdminBody(w, r, &req); err != nil {
		s.adminError(w, r, err)
		return
	}
	if req.ID != "" && req.ID != r.PathValue("id") {
		s.adminError(w, r, rapport.Errorf(rapport.EINVALID, "id: the body names %q, the path %q", req.ID, r.PathValue("id")))
		return
	}
	req.ID = r.PathValue("id")
	v := req.vendor()
	if err := svc.UpdateVendor(r.Context(), v); err != nil {
		s.adminError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// deleteVendor answers DELETE /api/v1/vendors/{id}: a vendor no lead was
// bought from is removed and its keys revoked; 409 for one with leads.
func (s *Server) deleteVendor(w http.ResponseWriter, r *http.Request) {
	svc, ok := s.leadService(w, r)
	if !ok {
		return
	}
	if err := svc.DeleteVendor(r.Context(), r.PathValue("id")); err != nil {
		s.adminError(w, r, err)
		return
	}
	s.refreshKeys(r)
	w.WriteHeader(http.StatusNoContent)
}

// createVendorKey answers POST /api/v1/vendors/{id}/keys with a new
// vendor key and its secret, shown this once.
func (s *Server) createVendorKey(w http.ResponseWriter, r *http.Request) {
	svc, ok := s.leadService(w, r)
	if !ok {
		return
	}
	k, secret, err := svc.IssueKey(r.Context(), r.PathValue("id"))
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	s.refreshKeys(r)
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, createdKey{Key: k, Secret: secret})
}

// listVendorKeys answers GET /api/v1/vendors/{id}/keys.
func (s *Server) listVendorKeys(w http.ResponseWriter, r *http.Request) {
	svc, ok := s.leadService(w, r)
	if !ok {
		return
	}
	_, err := s.cfg.Store.FindVendorByID(r.Context(), r.PathValue("id"))
	var keys []*rapport.Key
	if err == nil {
		keys, err = svc.VendorKeys(r.Context(), r.PathValue("id"))
	}
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, keyList{Keys: keys})
}

// listBoughtLeads answers GET /api/v1/leads/bought: a page of bought
// leads, newest first, filtered by vendor, person and time received.
func (s *Server) listBoughtLeads(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.leadService(w, r); !ok {
		return
	}
	q := r.URL.Query()
	p, err := parsePage(q)
	var since, until time.Time
	if err == nil {
		since, until, err = timeRange(q)
	}
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	ls, total, err := s.cfg.Store.FindBoughtLeads(r.Context(), rapport.BoughtLeadFilter{VendorID: q.Get("vendor"),
		PersonID: q.Get("person"), Since: since, Until: until, Offset: p.Offset, Limit: p.Limit})
	if err != nil {
		s.adminError(w, r, fmt.Errorf("find leads: %w", err))
		return
	}
	resp := map[string]any{"leads": append([]rapport.Lead{}, ls...), "total": total}
	if p.Offset+len(ls) < total {
		resp["next"] = nextPageURL(r, p)
	}
	writeJSON(w, http.StatusOK, resp)
}

// getBoughtLead answers GET /api/v1/leads/{id}: the lead as bought and
// worked, with its speed-to-lead.
func (s *Server) getBoughtLead(w http.ResponseWriter, r *http.Request) {
	svc, ok := s.leadService(w, r)
	if !ok {
		return
	}
	l, err := s.cfg.Store.FindLeadByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	speed := lead.SpeedOf(l, s.cfg.Clock.Now(), svc.SLA())
	writeJSON(w, http.StatusOK, map[string]any{"lead": l, "speed": speed})
}

// getLeadConsent answers GET /api/v1/leads/{id}/consent: the consent
// record sold with the lead, whether its evidence hash still matches, and
// whether each channel may be used now.
func (s *Server) getLeadConsent(w http.ResponseWriter, r *http.Request) {
	svc, ok := s.leadService(w, r)
	if !ok {
		return
	}
	proof, err := svc.Consent(r.Context(), r.PathValue("id"))
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, proof)
}

// leadSpeed answers GET /api/v1/leads/speed?by=lead|vendor|team.
func (s *Server) leadSpeed(w http.ResponseWriter, r *http.Request) {
	svc, rg, ok := s.leadReport(w, r)
	if !ok {
		return
	}
	var out any
	var err error
	switch by := r.URL.Query().Get("by"); by {
	case "", "lead":
		out, err = svc.Speeds(r.Context(), rg)
	case "vendor", "team":
		out, err = svc.SpeedBy(r.Context(), rg, by)
	default:
		err = rapport.Errorf(rapport.EINVALID, "by: must be lead, vendor or team")
	}
	s.answerReport(w, r, out, err)
}

// leadDuplicates answers GET /api/v1/leads/duplicates: the people sold
// more than once, with every inquiry, the vendors and when.
func (s *Server) leadDuplicates(w http.ResponseWriter, r *http.Request) {
	svc, rg, ok := s.leadReport(w, r)
	if !ok {
		return
	}
	out, err := svc.Duplicates(r.Context(), rg)
	s.answerReport(w, r, out, err)
}

// vendorScorecards answers GET /api/v1/vendors/scorecards?period=.
func (s *Server) vendorScorecards(w http.ResponseWriter, r *http.Request) {
	svc, rg, ok := s.leadReport(w, r)
	if !ok {
		return
	}
	period := r.URL.Query().Get("period")
	if !lead.ValidPeriod(period) {
		s.adminError(w, r, rapport.Errorf(rapport.EINVALID, "period: must be day, week or month, or absent for all time"))
		return
	}
	out, err := svc.Scorecards(r.Context(), rg, period)
	s.answerReport(w, r, out, err)
}

// leadPrices answers GET /api/v1/leads/prices?by=: the recommended
// maximum price per vendor and segment (tier, or an answer key).
func (s *Server) leadPrices(w http.ResponseWriter, r *http.Request) {
	svc, rg, ok := s.leadReport(w, r)
	if !ok {
		return
	}
	by := r.URL.Query().Get("by")
	if by == "" {
		by = "tier"
	}
	out, err := svc.Prices(r.Context(), rg, by)
	s.answerReport(w, r, out, err)
}

// leadTrends answers GET /api/v1/leads/trends?by=: the shopping journey
// by demographic group.
func (s *Server) leadTrends(w http.ResponseWriter, r *http.Request) {
	svc, rg, ok := s.leadReport(w, r)
	if !ok {
		return
	}
	by := r.URL.Query().Get("by")
	if !lead.ValidDimension(by) {
		s.adminError(w, r, rapport.Errorf(rapport.EINVALID, "by: must be one of %s, or answer.KEY",
			strings.Join(lead.TrendDimensions, ", ")))
		return
	}
	out, err := svc.Trends(r.Context(), rg, by)
	s.answerReport(w, r, out, err)
}

// leadQueue answers GET /api/v1/leads/queue?channel=phone&limit=: the
// dialer export. Every lead considered has its consent checked and the
// check recorded on the person's profile.
func (s *Server) leadQueue(w http.ResponseWriter, r *http.Request) {
	svc, ok := s.leadService(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	channel := q.Get("channel")
	if channel == "" {
		channel = "phone"
	}
	limit, err := intParam(q, "limit", defaultPageLimit, 1, maxPageLimit)
	if err == nil && !oneOfChannels(channel) {
		err = rapport.Errorf(rapport.EINVALID, "channel: must be one of %s", strings.Join(rapport.ConsentChannels, ", "))
	}
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	out, err := svc.Queue(r.Context(), channel, limit)
	s.answerReport(w, r, out, err)
}

func oneOfChannels(ch string) bool {
	for _, c := range rapport.ConsentChannels {
		if c == ch {
			return true
		}
	}
	return false
}

// leadModelRequest is the body of POST /api/v1/leads/model.
type leadModelRequest struct {
	Kind string `json:"kind"`
}

// trainLeadModel answers POST /api/v1/leads/model: the conversion model
// trained on the leads whose outcome is known, stored and used from now.
func (s *Server) trainLeadModel(w http.ResponseWriter, r *http.Request) {
	svc, ok := s.leadService(w, r)
	if !ok {
		return
	}
	var req leadModelRequest
	if err := decodeAdminBody(w, r, &req); err != nil {
		s.adminError(w, r, err)
		return
	}
	out, err := svc.Train(r.Context(), req.Kind)
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, out)
}

// getLeadModel answers GET /api/v1/leads/model: what prices leads now,
// and the pricing settings.
func (s *Server) getLeadModel(w http.ResponseWriter, r *http.Request) {
	svc, ok := s.leadService(w, r)
	if !ok {
		return
	}
	resp := map[string]any{"estimator": svc.Estimator().Name(), "pricing": svc.Pricing(), "sla": slaSeconds(svc.SLA())}
	if m, ok := svc.Estimator().(*lead.Model); ok {
		resp["model"] = map[string]any{"kind": m.Kind, "rows": m.Rows, "positives": m.Positives, "auc": m.AUC,
			"testRows": m.TestRows, "answers": m.Answers}
	}
	writeJSON(w, http.StatusOK, resp)
}

func slaSeconds(sla lead.SLA) map[string]float64 {
	out := make(map[string]float64, len(sla))
	for tier, d := range sla {
		out[tier] = d.Seconds()
	}
	return out
}

// leadReport reads a report's range (since, until, vendor).
func (s *Server) leadReport(w http.ResponseWriter, r *http.Request) (svc *leads.Service, rg leads.Range, ok bool) {
	if svc, ok = s.leadService(w, r); !ok {
		return nil, rg, false
	}
	q := r.URL.Query()
	since, until, err := timeRange(q)
	if err != nil {
		s.adminError(w, r, err)
		return nil, rg, false
	}
	return svc, leads.Range{Since: since, Until: until, VendorID: q.Get("vendor")}, true
}

// answerReport writes a report, or the error computing it.
func (s *Server) answerReport(w http.ResponseWriter, r *http.Request, out any, err error) {
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// timeRange reads since and until (RFC 3339) from the query.
func timeRange(q url.Values) (since, until time.Time, err error) {
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"since", &since}, {"until", &until}} {
		v := q.Get(p.name)
		if v == "" {
			continue
		}
		if *p.dst, err = time.Parse(time.RFC3339Nano, v); err != nil {
			return since, until, rapport.Errorf(rapport.EINVALID, "%s: want an RFC 3339 time (2026-11-23T00:00:00Z)", p.name)
		}
	}
	return since, until, nil
}

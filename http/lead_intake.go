package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/lead"
	"github.com/rapportdev/rapport/leads"
)

// maxLeadBody bounds a lead intake request after decompression: a
// thousand leads with their consent text and raw payloads.
const maxLeadBody = 8 << 20

// registerLeads adds the routes vendors and the buyer's systems call:
// intake and pricing with a vendor key, contact attempts with a write
// key. Admin lead routes are in adminRoutes.
func (s *Server) registerLeads(mux *http.ServeMux) {
	mux.HandleFunc("POST /v1/leads", s.intakeLeads)
	mux.HandleFunc("POST /v1/leads/contacts", s.recordContacts)
	mux.HandleFunc("POST /api/v1/leads/price", s.priceLead)
}

// leadService returns the lead service, answering 404 when the server runs
// without one.
func (s *Server) leadService(w http.ResponseWriter, r *http.Request) (*leads.Service, bool) {
	if s.cfg.Leads == nil {
		s.writeError(w, r, rapport.Errorf(rapport.ENOTFOUND, "lead management is not served by this process"))
		return nil, false
	}
	return s.cfg.Leads, true
}

// vendorOf authenticates a vendor key (HTTP Basic with the key as
// username, or Authorization: Bearer) and returns its active vendor.
func (s *Server) vendorOf(w http.ResponseWriter, r *http.Request, svc *leads.Service) (*rapport.Vendor, bool) {
	secret, ok := bearerToken(r)
	if user, _, basic := r.BasicAuth(); basic && user != "" {
		secret, ok = user, true
	}
	if !ok {
		s.writeError(w, r, rapport.Errorf(rapport.EUNAUTHORIZED,
			"vendor key required: HTTP Basic auth with the vendor key as username, or Authorization: Bearer <key>"))
		return nil, false
	}
	key, err := s.keys.Authenticate(r.Context(), secret, rapport.KeyVendor)
	var v *rapport.Vendor
	if err == nil {
		v, err = svc.VendorOf(r.Context(), key)
	}
	if err != nil {
		s.writeError(w, r, err)
		return nil, false
	}
	return v, true
}

// leadIntakeResponse answers an intake: every lead in request order, with
// its id and value or its error.
type leadIntakeResponse struct {
	Error    string         `json:"error,omitempty"`
	Code     string         `json:"code,omitempty"`
	Accepted int            `json:"accepted"`
	Rejected int            `json:"rejected"`
	Leads    []leads.Result `json:"leads"`
}

// intakeLeads answers POST /v1/leads: one lead or {"leads": [...]} as JSON,
// or a CSV file (Content-Type: text/csv). The valid leads are stored and
// acknowledged whatever happens to their neighbours: the answer is 200
// when all were accepted, else 400 listing each lead's result, the
// refused ones with their reason (and CSV line). Sending the same request
// again is safe: a lead with the same externalId (or, without one, the
// same payload) is a retry and is not bought twice.
func (s *Server) intakeLeads(w http.ResponseWriter, r *http.Request) {
	svc, ok := s.leadService(w, r)
	if !ok {
		return
	}
	v, ok := s.vendorOf(w, r, svc)
	if !ok {
		return
	}
	items, err := s.readLeadItems(w, r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	results := make([]leads.Result, len(items))
	var good []rapport.Lead
	var at []int
	for i, it := range items {
		results[i].Index = i
		if it.Err != nil {
			results[i].Error = rapport.ErrorMessage(it.Err)
			continue
		}
		good, at = append(good, it.Lead), append(at, i)
	}
	stored, err := svc.Intake(r.Context(), v, good)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	for k, res := range stored {
		i := at[k]
		res.Index = i
		if res.Error != "" && items[i].Line > 0 {
			res.Error = fmt.Sprintf("line %d: %s", items[i].Line, res.Error)
		}
		results[i] = res
	}
	s.answerLeads(w, results)
}

// answerLeads writes 200 when every lead was accepted, else 400.
func (s *Server) answerLeads(w http.ResponseWriter, results []leads.Result) {
	resp := leadIntakeResponse{Leads: results}
	for _, res := range results {
		if res.Error != "" {
			resp.Rejected++
		} else {
			resp.Accepted++
		}
	}
	status := http.StatusOK
	if resp.Rejected > 0 {
		status, resp.Code = http.StatusBadRequest, rapport.EINVALID
		resp.Error = fmt.Sprintf("%d of %d leads rejected", resp.Rejected, len(results))
	}
	writeJSON(w, status, resp)
}

// readLeadItems reads the body as JSON or CSV, by its Content-Type.
func (s *Server) readLeadItems(w http.ResponseWriter, r *http.Request) ([]lead.Item, error) {
	body, err := readLimited(w, r, maxLeadBody)
	if err != nil {
		return nil, err
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "text/csv" {
		return lead.ReadCSV(bytes.NewReader(body))
	}
	return lead.DecodeJSON(body)
}

// readLimited reads a request body of at most limit bytes after gzip
// decompression, refusing a larger one.
func readLimited(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	src, closeSrc, rej := decompress(r, http.MaxBytesReader(w, r.Body, limit))
	if rej != nil {
		return nil, rapport.Errorf(rapport.EINVALID, "%s", rej.reason)
	}
	defer closeSrc()
	body, err := io.ReadAll(io.LimitReader(src, limit+1))
	var tooBig *http.MaxBytesError
	switch {
	case int64(len(body)) > limit || errors.As(err, &tooBig):
		return nil, rapport.Errorf(rapport.EINVALID, "body exceeds %d MB", limit>>20)
	case err != nil:
		return nil, rapport.Errorf(rapport.EINVALID, "cannot read body: %v", err)
	}
	return body, nil
}

// contactsBody is the body of POST /v1/leads/contacts.
type contactsBody struct {
	Contacts []rapport.LeadContact `json:"contacts"`
}

// contactsResponse answers POST /v1/leads/contacts.
type contactsResponse struct {
	Error    string                `json:"error,omitempty"`
	Code     string                `json:"code,omitempty"`
	Accepted int                   `json:"accepted"`
	Rejected int                   `json:"rejected"`
	Contacts []leads.ContactResult `json:"contacts"`
}

// recordContacts answers POST /v1/leads/contacts: the buyer's dialer or
// CRM reports contact attempts, with a write key, one object or
// {"contacts": [...]}. Invalid attempts are listed with their reason;
// the others are recorded (400 when any was refused, else 200).
func (s *Server) recordContacts(w http.ResponseWriter, r *http.Request) {
	svc, ok := s.leadService(w, r)
	if !ok {
		return
	}
	if _, ok := s.authenticate(w, r, writeKey(r, "")); !ok {
		return
	}
	body, err := readLimited(w, r, 1<<20)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var batch contactsBody
	if err := strictJSON(body, &batch); err != nil || batch.Contacts == nil {
		var one rapport.LeadContact
		if err := strictJSON(body, &one); err != nil {
			s.writeError(w, r, rapport.Errorf(rapport.EINVALID, "body: want a contact attempt or {\"contacts\": [...]}: %s", rapport.ErrorMessage(bodyError(err))))
			return
		}
		batch.Contacts = []rapport.LeadContact{one}
	}
	results, err := svc.Contacts(r.Context(), batch.Contacts)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	resp := contactsResponse{Contacts: results}
	for _, c := range results {
		if c.Error != "" {
			resp.Rejected++
		} else {
			resp.Accepted++
		}
	}
	status := http.StatusOK
	if resp.Rejected > 0 {
		status, resp.Code, resp.Error = http.StatusBadRequest, rapport.EINVALID, fmt.Sprintf("%d of %d contact attempts rejected", resp.Rejected, len(results))
	}
	writeJSON(w, status, resp)
}

// strictJSON decodes one JSON value, refusing unknown fields.
func strictJSON(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// priceLead answers POST /api/v1/leads/price, the ping of a ping-post
// integration: a vendor key and one lead (contact data may be left out),
// answered with the bid, nothing stored.
func (s *Server) priceLead(w http.ResponseWriter, r *http.Request) {
	svc, ok := s.leadService(w, r)
	if !ok {
		return
	}
	v, ok := s.vendorOf(w, r, svc)
	if !ok {
		return
	}
	body, err := readLimited(w, r, 256<<10)
	var items []lead.Item
	if err == nil {
		items, err = lead.DecodeJSON(body)
	}
	if err == nil && len(items) != 1 {
		err = rapport.Errorf(rapport.EINVALID, "body: price one lead at a time")
	}
	if err == nil {
		err = items[0].Err
	}
	var bid *leads.Bid
	if err == nil {
		bid, err = svc.Price(r.Context(), v, items[0].Lead)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, bid)
}

package http

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/scoring"
)

// scoreView is a stored score as GET /api/v1/profiles/{id}/score shows it:
// the scoring result, its parts kept as stored, and when it was written.
type scoreView struct {
	Fit         json.RawMessage `json:"fit"`
	Engagement  json.RawMessage `json:"engagement"`
	Lifecycle   json.RawMessage `json:"lifecycle"`
	Priority    float64         `json:"priority"`
	Explanation json.RawMessage `json:"explanation"`
	Version     int             `json:"version"`
	At          json.RawMessage `json:"at,omitempty"`
	UpdatedAt   time.Time       `json:"updatedAt"`
	// Predicted is the probability of conversion from the newest model
	// rapport model train stored, with its top features; absent without
	// one.
	Predicted *prediction `json:"predicted,omitempty"`
}

// viewScore decodes the stored result of rec.
func viewScore(rec *rapport.ScoreRecord) (scoreView, error) {
	var v scoreView
	if err := json.Unmarshal(rec.Result, &v); err != nil {
		return v, fmt.Errorf("decode score of %s: %w", rec.ProfileID, err)
	}
	v.Priority, v.UpdatedAt = rec.Priority, rec.UpdatedAt
	return v, nil
}

// getScore answers GET /api/v1/profiles/{id}/score: the profile's 3D score
// with its explanation; 404 for a profile without a score, or merged into
// another (with mergedInto), or unknown.
func (s *Server) getScore(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	rec, err := s.cfg.Scores.FindScore(r.Context(), id)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		if _, perr := s.findProfile(r.Context(), id); perr != nil {
			err = perr
		}
	} else if err != nil {
		err = fmt.Errorf("find score of %s: %w", id, err)
	}
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	v, err := viewScore(rec)
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	if v.Predicted, err = s.predict(r.Context(), id); err != nil {
		s.adminError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// leadView is one entry of the leads list.
type leadView struct {
	ProfileID  string          `json:"profileId"`
	Priority   float64         `json:"priority"`
	Fit        json.RawMessage `json:"fit"`
	Engagement json.RawMessage `json:"engagement"`
	Lifecycle  json.RawMessage `json:"lifecycle"`
}

// leadPage is one page of the leads list.
type leadPage struct {
	Leads []leadView `json:"leads"`
	// Total counts every lead matching the filter, across pages.
	Total  int    `json:"total"`
	Limit  int    `json:"limit"`
	Offset int    `json:"offset"`
	Next   string `json:"next"`
}

// listLeads answers GET /api/v1/leads?grade=&stage=&min_engagement=&limit=&offset=:
// scored profiles, highest priority first.
func (s *Server) listLeads(w http.ResponseWriter, r *http.Request) {
	filter, err := parseLeadFilter(r.URL.Query())
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	leads, total, err := s.cfg.Scores.FindLeads(r.Context(), filter)
	if err != nil {
		s.adminError(w, r, fmt.Errorf("find leads: %w", err))
		return
	}
	out := leadPage{Leads: make([]leadView, 0, len(leads)), Total: total, Limit: filter.Limit, Offset: filter.Offset}
	for i := range leads {
		v, err := viewScore(&leads[i])
		if err != nil {
			s.adminError(w, r, err)
			return
		}
		out.Leads = append(out.Leads, leadView{ProfileID: leads[i].ProfileID, Priority: v.Priority,
			Fit: v.Fit, Engagement: v.Engagement, Lifecycle: v.Lifecycle})
	}
	if filter.Offset+len(leads) < total && len(leads) > 0 {
		out.Next = nextPageURL(r, page{Limit: filter.Limit, Offset: filter.Offset})
	}
	writeJSON(w, http.StatusOK, out)
}

// grades are the fit grades a lead filter accepts.
var grades = []string{"A", "B", "C", "D"}

// parseLeadFilter reads the paging, grade, stage and min_engagement
// parameters, with an EINVALID error naming the bad one.
func parseLeadFilter(q url.Values) (rapport.LeadFilter, error) {
	p, err := parsePage(q)
	if err != nil {
		return rapport.LeadFilter{}, err
	}
	f := rapport.LeadFilter{Limit: p.Limit, Offset: p.Offset}
	stages := make([]string, len(scoring.Stages))
	for i, st := range scoring.Stages {
		stages[i] = string(st)
	}
	if f.Grades, err = listParam(q, "grade", grades); err != nil {
		return f, err
	}
	if f.Stages, err = listParam(q, "stage", stages); err != nil {
		return f, err
	}
	if raw, ok := q["min_engagement"]; ok {
		n, err := strconv.ParseFloat(raw[0], 64)
		if len(raw) != 1 || err != nil || n < 0 || n > 100 {
			return f, rapport.Errorf(rapport.EINVALID, "min_engagement: must be one number from 0 to 100")
		}
		f.MinEngagement = n
	}
	return f, nil
}

// listParam reads a comma-separated parameter whose values must be among
// allowed.
func listParam(q url.Values, name string, allowed []string) ([]string, error) {
	raw, ok := q[name]
	if !ok {
		return nil, nil
	}
	if len(raw) != 1 {
		return nil, rapport.Errorf(rapport.EINVALID, "%s: give it once, as a comma-separated list", name)
	}
	var out []string
	for v := range strings.SplitSeq(raw[0], ",") {
		v = strings.TrimSpace(v)
		if !slices.Contains(allowed, v) {
			return nil, rapport.Errorf(rapport.EINVALID, "%s: %q is not one of %s", name, v, strings.Join(allowed, ", "))
		}
		out = append(out, v)
	}
	return out, nil
}

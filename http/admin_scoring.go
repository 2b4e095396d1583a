package http

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/rescore"
	"github.com/rapportdev/rapport/scoring"
)

// Scoring is the scoring model in use and the passes that rescore every
// profile with it (rescore.Keeper).
type Scoring interface {
	// Model returns the model in use.
	Model() *scoring.Model
	// Replace validates a model (YAML or JSON), stores it as the next
	// version, puts it in use and starts a pass.
	Replace(ctx context.Context, body []byte) (*scoring.Model, error)
	// Status returns the model version and the latest pass.
	Status() rescore.Status
	// Start begins a pass over every profile.
	Start(reason string)
}

// maxModelBody bounds a scoring model upload: the shipped templates are
// about 8 KB.
const maxModelBody = 1 << 20

// scoring returns the configured Scoring, or ENOTFOUND.
func (s *Server) scoring() (Scoring, error) {
	if s.cfg.Scoring == nil {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "no scoring model is configured")
	}
	return s.cfg.Scoring, nil
}

// getScoringModel answers GET /api/v1/scoring/model: the model profiles
// are scored with, numbered with its stored version.
func (s *Server) getScoringModel(w http.ResponseWriter, r *http.Request) {
	sc, err := s.scoring()
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, sc.Model())
}

// modelReplaced is the answer to a model replacement.
type modelReplaced struct {
	Model  *scoring.Model `json:"model"`
	Status rescore.Status `json:"status"`
}

// validationResponse is a refused model: every problem with its field
// path and line.
type validationResponse struct {
	Error    string            `json:"error"`
	Code     string            `json:"code"`
	Problems []scoring.Problem `json:"problems"`
}

// putScoringModel answers PUT /api/v1/scoring/model: the body (YAML, or
// JSON, which is YAML too) becomes the next version, and every profile is
// rescored in the background; 400 lists every problem with its field and
// line.
func (s *Server) putScoringModel(w http.ResponseWriter, r *http.Request) {
	sc, err := s.scoring()
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxModelBody))
	if err != nil {
		s.adminError(w, r, bodyError(err))
		return
	}
	m, err := sc.Replace(r.Context(), body)
	var ve *scoring.ValidationError
	if errors.As(err, &ve) {
		writeJSON(w, http.StatusBadRequest, validationResponse{Error: rapport.ErrorMessage(err), Code: rapport.EINVALID,
			Problems: ve.Problems})
		return
	}
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, modelReplaced{Model: m, Status: sc.Status()})
}

// modelVersionsPage lists the stored versions.
type modelVersionsPage struct {
	Versions []rapport.ModelVersion `json:"versions"`
}

// listScoringModels answers GET /api/v1/scoring/models: every stored
// version, newest first, without bodies.
func (s *Server) listScoringModels(w http.ResponseWriter, r *http.Request) {
	vs, err := s.cfg.Store.ListModels(r.Context(), rapport.ModelScoring)
	if err != nil {
		s.adminError(w, r, fmt.Errorf("list scoring models: %w", err))
		return
	}
	writeJSON(w, http.StatusOK, modelVersionsPage{Versions: vs})
}

// getRescore answers GET /api/v1/scoring/rescore: the model version and
// how far the latest rescoring pass has come.
func (s *Server) getRescore(w http.ResponseWriter, r *http.Request) {
	sc, err := s.scoring()
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, sc.Status())
}

// startRescore answers POST /api/v1/scoring/rescore: a pass over every
// profile starts now (202); a pass already running starts over.
func (s *Server) startRescore(w http.ResponseWriter, r *http.Request) {
	sc, err := s.scoring()
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	sc.Start("requested through the API")
	writeJSON(w, http.StatusAccepted, sc.Status())
}

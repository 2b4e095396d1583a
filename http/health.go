package http

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// healthTimeout bounds the store check of /healthz, so a stuck disk makes
// the probe fail rather than hang.
const healthTimeout = 2 * time.Second

// registerHealth adds /healthz and /metrics.
func (s *Server) registerHealth(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{}))
}

// healthResponse is the body of /healthz.
type healthResponse struct {
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
}

// handleHealth answers 200 when the store answers a cheap query in time,
// else 503.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
	defer cancel()
	if _, err := s.cfg.Store.Checkpoint(ctx); err != nil {
		s.cfg.Logger.Warn("health check failed", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, healthResponse{Status: "unavailable", Error: "store unreachable"})
		return
	}
	writeJSON(w, http.StatusOK, healthResponse{Status: "ok"})
}

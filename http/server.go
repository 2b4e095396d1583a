// Package http serves Rapport over HTTP: the Segment-compatible tracking
// API under /v1/, the admin API under /api/v1/, health and Prometheus
// metrics. It speaks to the rest of Rapport only in domain types.
package http

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/conversion"
	"github.com/rapportdev/rapport/economics"
	"github.com/rapportdev/rapport/leads"
)

// Appender durably appends accepted events; ingest.Committer implements it
// with group commit. It returns an EOVERLOADED error when it cannot take
// more work now.
type Appender interface {
	Append(ctx context.Context, events []rapport.Event) error
}

// Processor is the part of the event processor the server uses.
type Processor interface {
	// Applied returns the Seq of the last event applied to profiles.
	Applied() int64
	// Erase deletes a person from the store between two batches, and
	// forgets what the processor held about them.
	Erase(ctx context.Context, profileID string) (*rapport.Erasure, error)
}

// Config holds what a Server needs. Store, Ingest and Registry are
// required; the rest have defaults.
type Config struct {
	Store     rapport.Store
	Ingest    Appender
	Processor Processor
	// Scoring is the scoring model in use and its rescoring, served under
	// /api/v1/scoring/; nil when none.
	Scoring Scoring
	// Segments keeps rule segments current, served under
	// /api/v1/segments; nil on a process that does not apply events.
	Segments Segments
	Clock    rapport.Clock
	Logger   *slog.Logger
	// Registry receives the server's metrics and is served at /metrics.
	Registry *prometheus.Registry
	Limits   Limits
	// Economics are the costs and horizon of the economics reports
	// (rapport.yaml's economics section); nil means the defaults.
	Economics *economics.Options
	// Dashboard, when set, serves every path no API route claims: the
	// web interface for people (package dashboard).
	Dashboard http.Handler
	// Leads is lead management (vendors, intake, pricing, reports); nil
	// when the process does not serve it.
	Leads *leads.Service
	// Offers is the offer service (catalog, decisions, outcomes,
	// triggers); nil when the process does not serve it.
	Offers Offers
	// Scores serves the score endpoint and the lead list: the scores in
	// memory (rescore.Scores) where events are applied; nil means Store.
	Scores ScoreReader
}

// ScoreReader reads scores as the store does (rapport.ProfileStore's
// FindScore and FindLeads, with their contracts).
type ScoreReader interface {
	FindScore(ctx context.Context, profileID string) (*rapport.ScoreRecord, error)
	FindLeads(ctx context.Context, filter rapport.LeadFilter) ([]rapport.ScoreRecord, int, error)
}

// Limits bound what one client can send. Zero fields take Segment's values.
type Limits struct {
	// MaxMessageBytes bounds one message (Segment: 32 KB).
	MaxMessageBytes int
	// MaxBatchBytes bounds one request body after decompression
	// (Segment: 500 KB).
	MaxBatchBytes int
	// ProfileRate is the sustained events per second allowed per profile
	// key on the live endpoints (Segment: 25); ProfileBurst the burst.
	ProfileRate  float64
	ProfileBurst int
}

func (l Limits) withDefaults() Limits {
	if l.MaxMessageBytes <= 0 {
		l.MaxMessageBytes = 32 << 10
	}
	if l.MaxBatchBytes <= 0 {
		l.MaxBatchBytes = 500 << 10
	}
	if l.ProfileRate <= 0 {
		l.ProfileRate = 25
	}
	if l.ProfileBurst <= 0 {
		l.ProfileBurst = 100
	}
	return l
}

// Server routes requests to the tracking and admin handlers.
type Server struct {
	cfg     Config
	mux     *http.ServeMux
	keys    *KeyRing
	metrics *metrics
	conv    conversion.Latest
}

// NewServer returns a server with every route registered.
func NewServer(cfg Config) *Server {
	if cfg.Clock == nil {
		cfg.Clock = rapport.SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.Limits = cfg.Limits.withDefaults()
	if cfg.Scores == nil {
		cfg.Scores = cfg.Store
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux(), conv: conversion.Latest{Store: cfg.Store}}
	s.keys = NewKeyRing(cfg.Store, cfg.Clock)
	s.metrics = newMetrics(cfg.Registry)
	s.registerHealth(s.mux)
	s.registerTracking(s.mux)
	s.registerAdmin(s.mux)
	s.registerLeads(s.mux)
	if cfg.Dashboard != nil {
		s.mux.Handle("/", cfg.Dashboard)
	}
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.metrics.serve(s.mux, w, r)
}

// Serve accepts connections on ln until ctx is done, then shuts down
// gracefully: it stops accepting and waits up to drain for in-flight
// requests to finish.
func (s *Server) Serve(ctx context.Context, ln net.Listener, drain time.Duration) error {
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.cfg.Logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), drain)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

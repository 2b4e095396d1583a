package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/leads"
)

// newLeads returns lead management as rapport.yaml declares it: its
// vendors created or updated in the store, the newest trained lead model
// loaded (the prior prices leads until one is trained).
func newLeads(ctx context.Context, cfg *serveConfig, store rapport.Store, ingest leads.Appender, clock rapport.Clock, logger *slog.Logger) (*leads.Service, error) {
	set := cfg.decl.cfg.LeadSettings()
	svc := leads.New(leadConfig(cfg, store, ingest, clock, logger))
	if err := svc.Declare(ctx, set.Vendors); err != nil {
		return nil, fmt.Errorf("rapport.yaml leads: %w", err)
	}
	if err := svc.LoadModel(ctx); err != nil {
		return nil, err
	}
	logger.Info("lead management", "vendors declared", len(set.Vendors), "estimator", svc.Estimator().Name())
	return svc, nil
}

// leadConfig is the lead service's configuration from rapport.yaml.
func leadConfig(cfg *serveConfig, store rapport.Store, ingest leads.Appender, clock rapport.Clock, logger *slog.Logger) leads.Config {
	set := cfg.decl.cfg.LeadSettings()
	return leads.Config{Store: store, Ingest: ingest, Clock: clock, Logger: logger, Pricing: set.Pricing,
		Routing: set.Routing, SLA: set.SLA, AlertTiers: set.AlertTiers, Answers: set.ModelAnswers, WatchEvery: set.SLACheckEvery,
		ConversionEvent: set.ConversionEvent}
}

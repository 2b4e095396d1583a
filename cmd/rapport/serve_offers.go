package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/decide"
	"github.com/rapportdev/rapport/processor"
)

// offersRefreshEvery is how often a serve process reloads the counts
// behind the posteriors, so outcomes recorded through another process
// (role ingest, or a second server) are learned.
const offersRefreshEvery = 5 * time.Minute

// offersCachePeople is how many people the process of role all keeps in
// memory for decisions (about 3 KB each with their recent outcomes).
const offersCachePeople = 100_000

// newOffers starts the offer service with rapport.yaml's policy, catalog,
// triggers and retention. One process per store records ignores and trims
// old decisions: the process of role all, or in the partitioned
// deployment the worker holding the background lease (RunUpkeep). Only
// role all caches people (its processor tells it who changed);
// notify wakes the webhook dispatcher after a trigger queued a decision.
func newOffers(ctx context.Context, cfg *serveConfig, store rapport.Store, clock rapport.Clock, logger *slog.Logger, notify func()) (*decide.Service, error) {
	decl := cfg.decl.cfg.Offers
	c := decide.Config{Store: store, Policy: decl.Policy(), Clock: clock, Logger: logger,
		Offers: decl.Catalog(), Triggers: decl.Triggers(), RefreshEvery: offersRefreshEvery, OnNotify: notify,
		Retention: decl.Retention()}
	if cfg.role == roleAll {
		c.Sweep, c.CachePeople = true, offersCachePeople
	}
	svc, err := decide.New(c)
	if err != nil {
		return nil, err
	}
	if err := svc.Load(ctx); err != nil {
		return nil, err
	}
	return svc, nil
}

// offerErasure erases through the processor and makes the offer service
// forget the person before and after: its queued decisions are written
// first, so the erasure finds them, and nothing it cached survives.
type offerErasure struct {
	*processor.Processor
	offers *decide.Service
}

// Erase implements http.Processor.
func (p offerErasure) Erase(ctx context.Context, profileID string) (*rapport.Erasure, error) {
	if err := p.offers.Forget(ctx, profileID); err != nil {
		return nil, err
	}
	e, err := p.Processor.Erase(ctx, profileID)
	if ferr := p.offers.Forget(ctx, profileID); err == nil && ferr != nil {
		return e, ferr
	}
	return e, err
}

package leads

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/lead"
)

// Appender durably appends events to the log; ingest.Committer is one.
type Appender interface {
	Append(ctx context.Context, events []rapport.Event) error
}

// Config is what a Service needs. Store and Ingest are required.
type Config struct {
	Store  rapport.Store
	Ingest Appender
	Clock  rapport.Clock
	Logger *slog.Logger
	// Pricing, Routing and SLA come from rapport.yaml's leads section
	// (package config fills in its defaults); a Pricing without a customer
	// value and an SLA left nil take lead.DefaultPricing and
	// lead.DefaultSLA.
	Pricing lead.Pricing
	Routing lead.Routing
	SLA     lead.SLA
	// AlertTiers are the tiers whose SLA breaches raise a webhook; hot
	// when empty.
	AlertTiers []string
	// Answers are the lead answers the conversion model reads.
	Answers []string
	// OutcomeWindow is how long after receipt a lead's outcome counts as
	// known, for training; 30 days when zero.
	OutcomeWindow time.Duration
	// WatchEvery is how often the SLA watcher looks; 15 s when zero.
	WatchEvery time.Duration
	// ConversionEvent is the track event that converts a lead (its
	// person's order); Order Completed when empty. ConvertEvery is how
	// often the conversion sweep reads the applied events; 1 s when zero.
	ConversionEvent string
	ConvertEvery    time.Duration
}

// Service is lead management. It is safe for concurrent use.
type Service struct {
	cfg Config
	// estimator is the model pricing leads: a trained lead.Model once one
	// is stored, else the prior.
	estimator atomic.Pointer[estimatorBox]
	// groups stores the leads of concurrent intakes together.
	groups *grouper
}

type estimatorBox struct{ lead.Estimator }

// New returns a service; call LoadModel to use a trained model.
func New(cfg Config) *Service {
	if cfg.Clock == nil {
		cfg.Clock = rapport.SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Pricing.CustomerValue == 0 && cfg.Pricing.ValueBy == nil {
		cfg.Pricing = lead.DefaultPricing()
	}
	if cfg.SLA == nil {
		cfg.SLA = lead.DefaultSLA()
	}
	if len(cfg.AlertTiers) == 0 {
		cfg.AlertTiers = []string{lead.TierHot}
	}
	if cfg.OutcomeWindow <= 0 {
		cfg.OutcomeWindow = 30 * 24 * time.Hour
	}
	if cfg.WatchEvery <= 0 {
		cfg.WatchEvery = 15 * time.Second
	}
	if cfg.ConversionEvent == "" {
		cfg.ConversionEvent = rapport.EventOrderCompleted
	}
	if cfg.ConvertEvery <= 0 {
		cfg.ConvertEvery = time.Second
	}
	s := &Service{cfg: cfg, groups: &grouper{store: cfg.Store}}
	s.estimator.Store(&estimatorBox{lead.Prior{}})
	return s
}

// Estimator returns the model that prices leads now.
func (s *Service) Estimator() lead.Estimator { return s.estimator.Load().Estimator }

// Pricing returns the pricing settings in use.
func (s *Service) Pricing() lead.Pricing { return s.cfg.Pricing }

// SLA returns the SLA per tier.
func (s *Service) SLA() lead.SLA { return s.cfg.SLA }

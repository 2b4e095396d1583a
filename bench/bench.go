// Package bench is Rapport's ingest load generator, behind `rapport bench
// ingest`. It drives a running server over HTTP with Segment-shaped
// traffic and measures how fast events are acknowledged, and with what
// latency. A 2xx from Rapport means the events are durable, so the numbers
// are those of durable ingest.
//
// Two modes: "batch" runs Concurrency closed-loop clients, each POSTing
// /v1/batch with BatchSize messages and sending the next batch when the
// previous one is answered; "rate" sends single /v1/track calls on an
// open-loop schedule at Rate requests per second, and measures each
// latency from the time the request was due, so that time spent queueing
// behind a slow server counts (no coordinated omission).
package bench

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"time"
)

// Modes of Run.
const (
	ModeBatch = "batch"
	ModeRate  = "rate"
)

// Config says what load to send where. Zero fields take the defaults
// documented on each.
type Config struct {
	// URL is the server's base URL, e.g. http://127.0.0.1:8080.
	URL string
	// WriteKey authenticates as the Basic auth user name, as Segment
	// clients do.
	WriteKey string
	// Mode is ModeBatch (default) or ModeRate.
	Mode string
	// Concurrency is the number of batch clients (default 8); in rate mode
	// the number of idle connections kept (default 64).
	Concurrency int
	// BatchSize is the messages per batch (default 100).
	BatchSize int
	// Rate is rate mode's target requests per second (default 1000).
	Rate float64
	// Duration bounds the run (default 10s when Events is 0 too).
	Duration time.Duration
	// Events, when positive, stops the run after that many messages sent.
	Events int
	// Profiles is the number of distinct people the messages are about
	// (default 1,000,000): large enough that the server's per-profile
	// rate guard is not what is measured.
	Profiles int
	// Seed makes the message contents repeatable. Message ids are unique
	// per run whatever the seed, or the server would dedupe a repeated run
	// instead of ingesting it.
	Seed int64
	// Gzip compresses request bodies (Content-Encoding: gzip).
	Gzip bool
}

// withDefaults fills the zero fields.
func (c Config) withDefaults() Config {
	if c.Mode == "" {
		c.Mode = ModeBatch
	}
	if c.Concurrency <= 0 {
		c.Concurrency = 8
		if c.Mode == ModeRate {
			c.Concurrency = 64
		}
	}
	if c.BatchSize <= 0 {
		c.BatchSize = 100
	}
	if c.Rate <= 0 {
		c.Rate = 1000
	}
	if c.Duration <= 0 && c.Events <= 0 {
		c.Duration = 10 * time.Second
	}
	if c.Profiles <= 0 {
		c.Profiles = 1_000_000
	}
	return c
}

// validate reports the first reason c cannot run.
func (c Config) validate() error {
	u, err := url.Parse(c.URL)
	switch {
	case c.URL == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return fmt.Errorf("bad server URL %q: want http(s)://host:port", c.URL)
	case c.WriteKey == "":
		return fmt.Errorf("a write key is required")
	case c.Mode != ModeBatch && c.Mode != ModeRate:
		return fmt.Errorf("unknown mode %q: want %s or %s", c.Mode, ModeBatch, ModeRate)
	}
	return nil
}

// Run sends the configured load and returns what it measured. It writes a
// progress line a second to progress, when not nil. Cancelling ctx stops
// the run early; the result then covers what was sent.
func Run(ctx context.Context, cfg Config, progress io.Writer) (*Result, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	c := newClient(cfg)
	defer c.http.CloseIdleConnections()
	stop := startProgress(c, cfg, progress)
	var r *Result
	if cfg.Mode == ModeRate {
		r = runRate(ctx, c, cfg)
	} else {
		r = runBatch(ctx, c, cfg)
	}
	stop()
	return r, nil
}

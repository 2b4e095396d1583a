package bench

import (
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"time"
)

// Result is what a run measured. It marshals to JSON as is.
type Result struct {
	Mode        string  `json:"mode"`
	URL         string  `json:"url"`
	Concurrency int     `json:"concurrency"`
	BatchSize   int     `json:"batchSize,omitempty"`
	TargetRate  float64 `json:"targetRate,omitempty"`
	Gzip        bool    `json:"gzip"`
	Profiles    int     `json:"profiles"`
	// Seconds is the run's length, until the last response.
	Seconds float64 `json:"seconds"`
	// Requests counts requests answered or failed; Failed those without
	// a 2xx answer.
	Requests int64 `json:"requests"`
	Failed   int64 `json:"failed"`
	// EventsSent counts messages sent; EventsAcked those in 2xx answers,
	// which Rapport sends only once they are durable.
	EventsSent        int64   `json:"eventsSent"`
	EventsAcked       int64   `json:"eventsAcked"`
	EventsPerSecond   float64 `json:"eventsPerSecond"`
	RequestsPerSecond float64 `json:"requestsPerSecond"`
	// Latency is that of the acknowledged requests.
	Latency Latency `json:"latency"`
	// Errors counts failed requests by status code, or "transport" when
	// no answer came ("cancelled" when the run was cancelled meanwhile).
	Errors map[string]int64 `json:"errors,omitempty"`
}

// Latency summarises request latencies, in milliseconds. Percentiles are
// exact (nearest rank over every sample).
type Latency struct {
	Samples int     `json:"samples"`
	MeanMs  float64 `json:"meanMs"`
	P50Ms   float64 `json:"p50Ms"`
	P90Ms   float64 `json:"p90Ms"`
	P99Ms   float64 `json:"p99Ms"`
	MaxMs   float64 `json:"maxMs"`
}

// result assembles the run's Result from the client's counters.
func (c *client) result(elapsed time.Duration) *Result {
	s := &c.stats
	s.mu.Lock()
	defer s.mu.Unlock()
	r := &Result{
		Mode: c.cfg.Mode, URL: c.cfg.URL, Concurrency: c.cfg.Concurrency, Gzip: c.cfg.Gzip,
		Profiles: c.cfg.Profiles, Seconds: elapsed.Seconds(),
		Requests: s.requests.Load(), Failed: s.failed.Load(),
		EventsSent: s.sent.Load(), EventsAcked: s.acked.Load(),
		Latency: summarize(s.latencies), Errors: maps.Clone(s.errors),
	}
	if r.Mode == ModeBatch {
		r.BatchSize = c.cfg.BatchSize
	} else {
		r.TargetRate = c.cfg.Rate
	}
	if r.Seconds > 0 {
		r.EventsPerSecond = float64(r.EventsAcked) / r.Seconds
		r.RequestsPerSecond = float64(r.Requests) / r.Seconds
	}
	return r
}

// summarize sorts the samples and reads the percentiles.
func summarize(samples []time.Duration) Latency {
	if len(samples) == 0 {
		return Latency{}
	}
	slices.Sort(samples)
	var sum time.Duration
	for _, d := range samples {
		sum += d
	}
	return Latency{
		Samples: len(samples),
		MeanMs:  ms(sum / time.Duration(len(samples))),
		P50Ms:   ms(percentile(samples, 50)),
		P90Ms:   ms(percentile(samples, 90)),
		P99Ms:   ms(percentile(samples, 99)),
		MaxMs:   ms(samples[len(samples)-1]),
	}
}

// percentile returns the nearest-rank p-th percentile of sorted samples.
func percentile(sorted []time.Duration, p float64) time.Duration {
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// WriteText writes the result for people.
func (r *Result) WriteText(w io.Writer) {
	switch r.Mode {
	case ModeRate:
		fmt.Fprintf(w, "mode      rate: /v1/track at %.0f requests/s target, gzip %v\n", r.TargetRate, r.Gzip)
	default:
		fmt.Fprintf(w, "mode      batch: %d clients × %d messages, gzip %v\n", r.Concurrency, r.BatchSize, r.Gzip)
	}
	fmt.Fprintf(w, "target    %s, %d profiles\n", r.URL, r.Profiles)
	fmt.Fprintf(w, "duration  %.2f s\n", r.Seconds)
	fmt.Fprintf(w, "events    %d acknowledged of %d sent: %.1f events/s\n", r.EventsAcked, r.EventsSent, r.EventsPerSecond)
	fmt.Fprintf(w, "requests  %d: %.1f requests/s, %d failed\n", r.Requests, r.RequestsPerSecond, r.Failed)
	l := r.Latency
	fmt.Fprintf(w, "latency   p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms  mean %.2f ms (%d samples)\n",
		l.P50Ms, l.P90Ms, l.P99Ms, l.MaxMs, l.MeanMs, l.Samples)
	for _, k := range slices.Sorted(maps.Keys(r.Errors)) {
		fmt.Fprintf(w, "error     %s: %d\n", k, r.Errors[k])
	}
}

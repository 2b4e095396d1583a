package http

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the server's Prometheus instruments.
type metrics struct {
	registry *prometheus.Registry
	events   *prometheus.CounterVec
	rejected *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// newMetrics registers the instruments on reg, or on a private registry
// when reg is nil (it is still served at /metrics).
func newMetrics(reg *prometheus.Registry) *metrics {
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	m := &metrics{registry: reg}
	m.events = register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "rapport_ingest_events_total",
		Help: "Tracking messages durably accepted, by endpoint.",
	}, []string{"endpoint"}))
	m.rejected = register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "rapport_ingest_rejected_total",
		Help: "Tracking messages refused, by reason. A refused request whose messages were not read " +
			"(invalid_json, too_large body, unauthorized) counts once.",
	}, []string{"reason"}))
	m.duration = register(reg, prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "rapport_http_request_duration_seconds",
		Help:    "HTTP request latency, by route pattern and status code.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"route", "code"}))
	return m
}

// register registers c on reg, or returns the collector already registered
// in its place, so two servers can share a registry.
func register[C prometheus.Collector](reg *prometheus.Registry, c C) C {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
		// Another collector holds the name with a different shape: a
		// wiring mistake, found at start-up.
		panic(err)
	}
	return c
}

// queueDepth is what an Appender with a queue reports (ingest.Committer).
type queueDepth interface {
	Depth() int
}

// watchQueue exports the appender's queue depth, when it has one.
func (m *metrics) watchQueue(a Appender) {
	q, ok := a.(queueDepth)
	if !ok {
		return
	}
	register(m.registry, prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "rapport_ingest_queue_depth",
		Help: "Events waiting for a durable append.",
	}, func() float64 { return float64(q.Depth()) }))
}

// reject counts n refused messages.
func (m *metrics) reject(reason string, n int) {
	m.rejected.WithLabelValues(reason).Add(float64(n))
}

// serve runs h and records the request's duration under the route pattern
// the mux matched (so paths with ids do not explode the label space).
func (m *metrics) serve(h http.Handler, w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	h.ServeHTTP(rec, r)
	route := r.Pattern
	if route == "" {
		route = "unmatched"
	}
	m.duration.WithLabelValues(route, strconv.Itoa(rec.status)).Observe(time.Since(start).Seconds())
}

// statusRecorder remembers the status written through it.
type statusRecorder struct {
	http.ResponseWriter
	status  int
	written bool
}

// WriteHeader records the status and passes it on.
func (r *statusRecorder) WriteHeader(status int) {
	if !r.written {
		r.status, r.written = status, true
	}
	r.ResponseWriter.WriteHeader(status)
}

// Write marks the header as written with the default status.
func (r *statusRecorder) Write(b []byte) (int, error) {
	r.written = true
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

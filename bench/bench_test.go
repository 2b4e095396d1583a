package bench

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

const testKey = "wk_test"

// fakeServer is a minimal tracking API: it checks Basic auth, decodes
// every request and counts the messages, failing the test on a repeated
// messageId or a message no Segment server would take.
type fakeServer struct {
	t      *testing.T
	mu     sync.Mutex
	seen   map[string]bool
	types  map[string]int
	status int // answer with this status instead of 200, when set
}

func newFakeServer(t *testing.T) (*fakeServer, *httptest.Server) {
	f := &fakeServer{t: t, seen: map[string]bool{}, types: map[string]int{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	user, _, ok := r.BasicAuth()
	if !ok || user != testKey {
		http.Error(w, `{"error":"unauthorized"}`, http.StatusUnauthorized)
		return
	}
	body, err := readBody(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var msgs []message
	switch r.URL.Path {
	case "/v1/batch":
		var b batchBody
		err = json.Unmarshal(body, &b)
		msgs = b.Batch
	case "/v1/track":
		var m message
		err = json.Unmarshal(body, &m)
		msgs = []message{m}
	default:
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.record(r.URL.Path, msgs)
	if f.status != 0 {
		w.WriteHeader(f.status)
	}
	io.WriteString(w, `{"success":true}`)
}

func readBody(r *http.Request) ([]byte, error) {
	if r.Header.Get("Content-Encoding") != "gzip" {
		return io.ReadAll(r.Body)
	}
	zr, err := gzip.NewReader(r.Body)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

func (f *fakeServer) record(path string, msgs []message) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, m := range msgs {
		if f.seen[m.MessageID] {
			f.t.Errorf("messageId %q sent twice", m.MessageID)
		}
		f.seen[m.MessageID] = true
		f.types[m.Type]++
		if m.UserID == "" && m.AnonymousID == "" || m.MessageID == "" || m.Timestamp == "" {
			f.t.Errorf("message without ids or time: %+v", m)
		}
		if path == "/v1/track" && m.Type != "track" {
			f.t.Errorf("/v1/track got a %s message", m.Type)
		}
	}
}

func (f *fakeServer) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.seen)
}

func TestBatchCountsEveryEvent(t *testing.T) {
	for _, gz := range []bool{false, true} {
		f, srv := newFakeServer(t)
		cfg := Config{URL: srv.URL, WriteKey: testKey, Concurrency: 4, BatchSize: 100, Events: 1050, Profiles: 1000, Gzip: gz}
		r, err := Run(context.Background(), cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		if f.count() != 1050 || r.EventsAcked != 1050 || r.EventsSent != 1050 || r.Requests != 11 || r.Failed != 0 {
			t.Errorf("gzip %v: server saw %d, result %+v; want 1050 events in 11 requests", gz, f.count(), r)
		}
		checkLatency(t, r.Latency, 11)
		for _, typ := range []string{"page", "track", "identify"} {
			if f.types[typ] == 0 {
				t.Errorf("no %s messages in %v", typ, f.types)
			}
		}
	}
}

func checkLatency(t *testing.T, l Latency, samples int) {
	t.Helper()
	if l.Samples != samples || l.P50Ms <= 0 || l.P50Ms > l.P90Ms || l.P90Ms > l.P99Ms || l.P99Ms > l.MaxMs || l.MeanMs > l.MaxMs {
		t.Errorf("latency %+v: want %d samples, 0 < p50 <= p90 <= p99 <= max", l, samples)
	}
}

func TestBatchForADuration(t *testing.T) {
	f, srv := newFakeServer(t)
	defer func(d time.Duration) { progressEvery = d }(progressEvery)
	progressEvery = 50 * time.Millisecond
	var progress bytes.Buffer
	r, err := Run(context.Background(), Config{URL: srv.URL, WriteKey: testKey, Duration: 1200 * time.Millisecond, Concurrency: 2, BatchSize: 20}, &progress)
	if err != nil {
		t.Fatal(err)
	}
	if r.EventsAcked == 0 || int(r.EventsAcked) != f.count() || r.EventsAcked%20 != 0 {
		t.Errorf("acked %d, server saw %d", r.EventsAcked, f.count())
	}
	if r.Seconds < 1.2 || r.Seconds > 5 {
		t.Errorf("ran %.2fs, want about 1.2s", r.Seconds)
	}
	if !strings.Contains(progress.String(), "events acknowledged") {
		t.Errorf("progress = %q, want a line a second", progress.String())
	}
}

func TestErrorsByStatus(t *testing.T) {
	f, srv := newFakeServer(t)
	f.status = http.StatusServiceUnavailable
	r, err := Run(context.Background(), Config{URL: srv.URL, WriteKey: testKey, Events: 300, BatchSize: 100, Concurrency: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Failed != 3 || r.Errors["503"] != 3 || r.EventsAcked != 0 || r.Latency.Samples != 0 {
		t.Errorf("result %+v, want 3 requests failed with 503", r)
	}
	r, _ = Run(context.Background(), Config{URL: srv.URL, WriteKey: "wrong", Events: 10, Mode: ModeRate, Rate: 100}, nil)
	if r.Errors["401"] != 10 {
		t.Errorf("errors %v, want 10 × 401 for a wrong key", r.Errors)
	}
	r, _ = Run(context.Background(), Config{URL: "http://127.0.0.1:1", WriteKey: testKey, Events: 5, BatchSize: 5}, nil)
	if r.Errors["transport"] != 1 {
		t.Errorf("errors %v, want one transport error for a closed port", r.Errors)
	}
}

func TestRateModeKeepsTheRate(t *testing.T) {
	f, srv := newFakeServer(t)
	cfg := Config{URL: srv.URL, WriteKey: testKey, Mode: ModeRate, Rate: 200, Duration: time.Second}
	r, err := Run(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A loose functional check: a loopback server on a shared machine.
	if r.RequestsPerSecond < 160 || r.RequestsPerSecond > 240 {
		t.Errorf("achieved %.1f requests/s, want 200 ± 20%%", r.RequestsPerSecond)
	}
	if r.Requests != 200 || f.count() != 200 || r.EventsAcked != 200 {
		t.Errorf("requests %d, server saw %d, acked %d; want 200", r.Requests, f.count(), r.EventsAcked)
	}
	checkLatency(t, r.Latency, 200)
}

func TestCancelStopsEarly(t *testing.T) {
	_, srv := newFakeServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	r, err := Run(ctx, Config{URL: srv.URL, WriteKey: testKey, Mode: ModeRate, Rate: 50, Duration: time.Minute}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if time.Since(start) > 10*time.Second || r.Requests == 0 {
		t.Errorf("cancelled run took %v with %d requests", time.Since(start), r.Requests)
	}
}

func TestConfigValidation(t *testing.T) {
	tests := []struct {
		cfg  Config
		want string
	}{
		{Config{WriteKey: "k"}, "bad server URL"},
		{Config{URL: "localhost:8080", WriteKey: "k"}, "bad server URL"},
		{Config{URL: "http://x"}, "write key"},
		{Config{URL: "http://x", WriteKey: "k", Mode: "burst"}, `unknown mode "burst"`},
	}
	for _, tt := range tests {
		_, err := Run(context.Background(), tt.cfg, nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Run(%+v) error = %v, want %q", tt.cfg, err, tt.want)
		}
	}
}

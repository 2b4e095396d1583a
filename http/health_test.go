package http_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	rhttp "github.com/rapportdev/rapport/http"
)

// get fetches path and returns the status and body.
func (env *trackEnv) get(t *testing.T, path string) (int, string) {
	t.Helper()
	res, err := env.srv.Client().Get(env.srv.URL + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return res.StatusCode, string(body)
}

func TestHealth(t *testing.T) {
	env := newTrackEnv(t, trackConfig{})
	status, body := env.get(t, "/healthz")
	wantField(t, "status", status, 200)
	wantField(t, "body", strings.TrimSpace(body), `{"status":"ok"}`)

	env.store.Close()
	status, body = env.get(t, "/healthz")
	wantField(t, "status with the store closed", status, 503)
	if !strings.Contains(body, "unavailable") {
		t.Errorf("body: got %s, want it to say unavailable", body)
	}
}

func TestMetrics(t *testing.T) {
	env := newTrackEnv(t, trackConfig{})
	auth := basic(trackWriteKey)
	env.post(t, "/v1/batch", auth, []byte(batchOf(msg(), msg("messageId", `"m2"`))))
	env.post(t, "/v1/batch", auth, []byte(batchOf(msg("messageId", `"m3"`, "userId", ""))))
	env.post(t, "/v1/track", nil, []byte(msg()))
	status, body := env.get(t, "/metrics")
	wantField(t, "status", status, 200)
	for _, want := range []string{
		`rapport_ingest_events_total{endpoint="batch"} 2`,
		`rapport_ingest_rejected_total{reason="no_identity"} 1`,
		`rapport_ingest_rejected_total{reason="unauthorized"} 1`,
		`rapport_http_request_duration_seconds_count{code="200",route="POST /v1/batch"} 1`,
		`rapport_http_request_duration_seconds_count{code="400",route="POST /v1/batch"} 1`,
		`rapport_http_request_duration_seconds_count{code="401",route="POST /v1/track"} 1`,
		`rapport_ingest_queue_depth 0`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics: want a line %s; got\n%s", want, body)
		}
	}
}

func TestMetricsPrivateRegistry(t *testing.T) {
	srv := httptest.NewServer(rhttp.NewServer(rhttp.Config{
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}))
	defer srv.Close()
	res, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatalf("GET /metrics: %v", err)
	}
	res.Body.Close()
	wantField(t, "status", res.StatusCode, 200)
}

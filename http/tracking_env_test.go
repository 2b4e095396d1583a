package http_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/rapportdev/rapport"
	rhttp "github.com/rapportdev/rapport/http"
	"github.com/rapportdev/rapport/ingest"
	"github.com/rapportdev/rapport/sqlite"
)

// Secrets of the keys every tracking environment holds.
const (
	trackWriteKey   = "wk_tracking_test"
	trackAdminToken = "at_tracking_test"
)

// trackNow is the server clock of tracking tests.
var trackNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// trackEnv is a tracking server over a real SQLite store and a real
// group-committing ingest.
type trackEnv struct {
	srv      *httptest.Server
	store    *sqlite.Store
	log      *sqlite.Log
	registry *prometheus.Registry
	writeKey *rapport.Key
}

// trackConfig adjusts a trackEnv; zero fields take the defaults.
type trackConfig struct {
	// ingest returns the appender over the log; default: an
	// ingest.Committer on it.
	ingest func(rapport.EventLog) rhttp.Appender
	limits rhttp.Limits
	clock  rapport.Clock // default: fixed at trackNow
}

// newTrackEnv returns a served environment, closed with the test.
func newTrackEnv(t testing.TB, cfg trackConfig) *trackEnv {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "rapport.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	log, err := sqlite.OpenLog(context.Background(), filepath.Join(t.TempDir(), "log.db"))
	if err != nil {
		t.Fatalf("open log: %v", err)
	}
	t.Cleanup(func() { log.Close() })
	env := &trackEnv{store: st, log: log, registry: prometheus.NewRegistry()}
	env.writeKey = createTrackKey(t, st, rapport.KeyWrite, trackWriteKey)
	createTrackKey(t, st, rapport.KeyAdmin, trackAdminToken)
	appender := rhttp.Appender(nil)
	if cfg.ingest != nil {
		appender = cfg.ingest(log)
	} else {
		c := ingest.NewCommitter(log, ingest.Options{})
		t.Cleanup(func() { c.Close() })
		appender = c
	}
	if cfg.clock == nil {
		cfg.clock = rapport.ClockFunc(func() time.Time { return trackNow })
	}
	env.srv = httptest.NewServer(rhttp.NewServer(rhttp.Config{
		Store: st, Ingest: appender, Clock: cfg.clock, Limits: cfg.limits,
		Registry: env.registry, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}))
	t.Cleanup(env.srv.Close)
	return env
}

// createTrackKey stores a key with the given secret.
func createTrackKey(t testing.TB, st rapport.KeyStore, kind rapport.KeyKind, secret string) *rapport.Key {
	t.Helper()
	k := &rapport.Key{ID: rapport.NewID("k_"), Kind: kind, Name: "test",
		Hash: rapport.HashSecret(secret), CreatedAt: trackNow}
	if err := st.CreateKey(context.Background(), k); err != nil {
		t.Fatalf("create key: %v", err)
	}
	return k
}

// basic returns the Authorization header Segment clients send for a
// write key.
func basic(key string) map[string]string {
	return map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(key+":"))}
}

// post sends body to path and returns the status, headers and body.
func (env *trackEnv) post(t testing.TB, path string, headers map[string]string, body []byte) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest("POST", env.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatalf("new request: %v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := env.srv.Client().Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read response: %v", err)
	}
	return res.StatusCode, res.Header, string(out)
}

// events returns every acknowledged event in the log by messageId. The log
// keeps a retried message twice (the processor applies it once), so a
// messageId seen twice is not an error here; the first copy is returned.
func (env *trackEnv) events(t testing.TB) map[string]rapport.Event {
	t.Helper()
	got := map[string]rapport.Event{}
	for after := int64(0); ; {
		page, err := env.log.Read(context.Background(), after, 1000)
		if err != nil {
			t.Fatalf("read events: %v", err)
		}
		if len(page) == 0 {
			return got
		}
		for _, ev := range page {
			if _, dup := got[ev.MessageID]; !dup {
				got[ev.MessageID] = ev
			}
		}
		after = page[len(page)-1].Seq
	}
}

// event returns the stored event with the messageId, failing the test
// when there is none.
func (env *trackEnv) event(t testing.TB, messageID string) rapport.Event {
	t.Helper()
	ev, ok := env.events(t)[messageID]
	if !ok {
		t.Fatalf("messageId %q not stored", messageID)
	}
	return ev
}

// gzipped compresses s.
func gzipped(t testing.TB, s string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatalf("gzip: %v", err)
	}
	if err := zw.Close(); err != nil {
		t.Fatalf("gzip: %v", err)
	}
	return buf.Bytes()
}

// wantField fails the test when got differs from want.
func wantField[T comparable](t testing.TB, name string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s: got %v, want %v", name, got, want)
	}
}

// wantStored returns a check that the messageIds are stored, and that the
// event count is exactly len(ids).
func wantStored(ids ...string) func(*testing.T, *trackEnv) {
	return func(t *testing.T, env *trackEnv) {
		t.Helper()
		got := env.events(t)
		for _, id := range ids {
			if _, ok := got[id]; !ok {
				t.Errorf("messageId %q not stored", id)
			}
		}
		if len(got) != len(ids) {
			t.Errorf("stored %d events, want %d", len(got), len(ids))
		}
	}
}

// trackScenario is one request against a fresh environment.
type trackScenario struct {
	name     string
	path     string
	headers  map[string]string
	body     string
	gzip     bool
	want     int
	wantBody []string
	check    func(*testing.T, *trackEnv)
}

func (sc trackScenario) run(t *testing.T) {
	env := newTrackEnv(t, trackConfig{})
	body := []byte(sc.body)
	headers := sc.headers
	if sc.gzip {
		body = gzipped(t, sc.body)
		headers = map[string]string{"Content-Encoding": "gzip"}
		for k, v := range sc.headers {
			headers[k] = v
		}
	}
	status, _, got := env.post(t, sc.path, headers, body)
	if status != sc.want {
		t.Errorf("status: got %d, want %d; body %s", status, sc.want, got)
	}
	for _, frag := range sc.wantBody {
		if !strings.Contains(got, frag) {
			t.Errorf("body: got %s, want it to contain %s", got, frag)
		}
	}
	if sc.check != nil {
		sc.check(t, env)
	}
}

func runTrackScenarios(t *testing.T, scenarios []trackScenario) {
	t.Helper()
	for _, sc := range scenarios {
		t.Run(sc.name, sc.run)
	}
}

// msg returns a JSON message with the given fields over a default track
// message for user u1.
func msg(fields ...string) string {
	base := map[string]string{
		"type": `"track"`, "messageId": `"m1"`, "userId": `"u1"`, "event": `"Signed Up"`,
		"timestamp": `"2025-06-01T11:00:00Z"`,
	}
	for i := 0; i+1 < len(fields); i += 2 {
		if fields[i+1] == "" {
			delete(base, fields[i])
			continue
		}
		base[fields[i]] = fields[i+1]
	}
	var b strings.Builder
	b.WriteString("{")
	first := true
	for _, k := range []string{"type", "messageId", "userId", "anonymousId", "previousId", "groupId",
		"event", "name", "category", "traits", "properties", "context", "integrations",
		"timestamp", "originalTimestamp", "sentAt", "writeKey", "channel"} {
		v, ok := base[k]
		if !ok {
			continue
		}
		if !first {
			b.WriteString(",")
		}
		first = false
		fmt.Fprintf(&b, "%q:%s", k, v)
	}
	b.WriteString("}")
	return b.String()
}

// batchOf wraps messages in a batch body.
func batchOf(msgs ...string) string {
	return `{"batch":[` + strings.Join(msgs, ",") + `]}`
}

// decodeTracking reads a tracking response body.
func decodeTracking(t *testing.T, body string) (accepted int, rejected []int) {
	t.Helper()
	var res struct {
		Accepted int
		Rejected []struct{ Index int }
	}
	if err := json.Unmarshal([]byte(body), &res); err != nil {
		t.Fatalf("decode response %s: %v", body, err)
	}
	for _, r := range res.Rejected {
		rejected = append(rejected, r.Index)
	}
	return res.Accepted, rejected
}

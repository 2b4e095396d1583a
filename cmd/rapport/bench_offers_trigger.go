package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/rapportdev/rapport"
)

// triggerReceiver is the webhook endpoint of the trigger measurement: it
// notes when each triggering event's decision arrived.
type triggerReceiver struct {
	mu      sync.Mutex
	arrived map[string]time.Time
}

func (t *triggerReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	at := time.Now()
	var n struct {
		Payload struct{ MessageID string }
	}
	body, _ := io.ReadAll(r.Body)
	if json.Unmarshal(body, &n) == nil {
		t.mu.Lock()
		if _, dup := t.arrived[n.Payload.MessageID]; !dup {
			t.arrived[n.Payload.MessageID] = at
		}
		t.mu.Unlock()
	}
	w.WriteHeader(http.StatusNoContent)
}

// measureTriggers subscribes a loopback webhook to offer.decided, adds a
// trigger on Beacon Entered in the deli zone, sends such events at the
// trigger rate (each for another person) and measures from each /v1/track
// acknowledgement to its decision's delivery.
func measureTriggers(ctx context.Context, env *offerBenchEnv, st rapport.Store, c *offerBenchConfig) (latencyRow, error) {
	recv := &triggerReceiver{arrived: map[string]time.Time{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return latencyRow{}, err
	}
	hs := &http.Server{Handler: recv, ReadHeaderTimeout: 5 * time.Second}
	go hs.Serve(ln) //nolint:errcheck // ends with Close below
	defer hs.Close()
	if err := st.CreateWebhook(ctx, &rapport.Webhook{URL: "http://" + ln.Addr().String() + "/hook", Secret: rapport.NewSecret("whsec_"),
		Events: []string{rapport.NotifyOfferDecided}, Active: true, CreatedAt: time.Now().UTC()}); err != nil {
		return latencyRow{}, err
	}
	trigger := `{"id":"bench-deli","event":"Beacon Entered","condition":"properties.zone == \"deli\"","channel":"beacon"}`
	if err := env.admin(ctx, "/api/v1/triggers", trigger, http.StatusCreated); err != nil {
		return latencyRow{}, err
	}
	n := min(c.triggers, c.shape.profiles)
	acked, failed := sendTriggerEvents(ctx, env, n, c.triggerRate)
	// Let the last decisions arrive.
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && recv.count() < n-failed; {
		time.Sleep(50 * time.Millisecond)
	}
	row := latencyRow{name: "trigger: /v1/track ack → webhook delivery", n: n, rate: c.triggerRate, errors: failed}
	var lat []time.Duration
	recv.mu.Lock()
	for i, at := range acked {
		if got, ok := recv.arrived[triggerMessageID(i)]; ok && !at.IsZero() {
			lat = append(lat, got.Sub(at))
		}
	}
	recv.mu.Unlock()
	if missing := n - failed - len(lat); missing > 0 {
		row.errors += missing
		row.firstErr = fmt.Sprintf("%d acknowledged events brought no delivery within 10 s", missing)
	}
	row.p50, row.p90, row.p99, row.max = percentiles(lat)
	return row, nil
}

func (t *triggerReceiver) count() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.arrived)
}

// triggerMessageID is the messageId of the i-th trigger event.
func triggerMessageID(i int) string { return fmt.Sprintf("bench-trigger-%d", i) }

// sendTriggerEvents sends n Beacon Entered events in the deli zone, the
// i-th for the i-th profile, at rate per second, and returns when each
// was acknowledged (zero for those that failed) and how many failed.
func sendTriggerEvents(ctx context.Context, env *offerBenchEnv, n int, rate float64) ([]time.Time, int) {
	acked := make([]time.Time, n)
	var mu sync.Mutex
	failed := 0
	interval := time.Duration(float64(time.Second) / rate)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range n {
		if wait := time.Until(start.Add(time.Duration(i) * interval)); wait > 0 {
			time.Sleep(wait)
		}
		wg.Go(func() {
			body := fmt.Sprintf(`{"userId":%q,"event":"Beacon Entered","messageId":%q,"properties":{"zone":"deli","beacon_id":"b-1"},"timestamp":%q}`,
				benchUserID(i), triggerMessageID(i), time.Now().UTC().Format(time.RFC3339Nano))
			err := env.post(ctx, "/v1/track", body, http.StatusOK, func(r *http.Request) { r.SetBasicAuth(env.writeKey, "") })
			at := time.Now()
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failed++
				return
			}
			acked[i] = at
		})
	}
	wg.Wait()
	return acked, failed
}

// admin POSTs body to an admin API path and wants the status.
func (e *offerBenchEnv) admin(ctx context.Context, path, body string, want int) error {
	return e.post(ctx, path, body, want, func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+e.adminToken) })
}

// post sends a JSON body, authenticated by auth, and wants the status.
func (e *offerBenchEnv) post(ctx context.Context, path, body string, want int, auth func(*http.Request)) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url+path, strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	auth(req)
	resp, err := e.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		return fmt.Errorf("POST %s: status %d: %s", path, resp.StatusCode, msg)
	}
	return nil
}

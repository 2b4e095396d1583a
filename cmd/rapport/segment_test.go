package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// adminSend sends a JSON body with the test admin token and decodes the
// answer into v.
func adminSend(t *testing.T, method, url, body string, v any) int {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if v != nil {
		_ = json.Unmarshal(b, v)
	}
	return resp.StatusCode
}

// TestSegmentsKeptCurrentPerEvent creates rule segments on the demo (their
// members computed by a pass), then sends events that move one person into
// a segment: the membership changes as the events are applied, and the
// webhook subscribed to segment.entered receives it.
func TestSegmentsKeptCurrentPerEvent(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process; skipped with -short")
	}
	entered := make(chan string, 10)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n struct {
			Type      string
			ProfileID string
			Payload   struct{ Segment string }
		}
		body, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(body, &n)
		entered <- n.Type + " " + n.Payload.Segment + " " + n.ProfileID
	}))
	defer recv.Close()
	srv := startServer(t, "--data", t.TempDir(), "--demo")
	waitAllApplied(t, srv)

	if code := adminSend(t, "POST", srv.URL+"/api/v1/segments",
		`{"name":"In-store buyers","expression":"purchase_channels[\"in-store\"] > 0"}`, nil); code != http.StatusCreated {
		t.Fatalf("create segment: %d", code)
	}
	var seg struct{ Members int }
	waitFor(t, 15*time.Second, func() bool {
		return adminGet(t, srv.URL+"/api/v1/segments/in-store-buyers", &seg) == http.StatusOK && seg.Members > 0
	})
	if code := adminSend(t, "POST", srv.URL+"/api/v1/webhooks",
		fmt.Sprintf(`{"url":%q,"events":["segment.entered"]}`, recv.URL), nil); code != http.StatusCreated {
		t.Fatalf("create webhook: %d", code)
	}
	if code := adminSend(t, "POST", srv.URL+"/api/v1/segments",
		`{"id":"webinar-fans","name":"Webinar fans","expression":"count(\"Webinar Attended\", 30) >= 2"}`, nil); code != http.StatusCreated {
		t.Fatalf("create segment: %d", code)
	}
	var status struct{ Running bool }
	waitFor(t, 15*time.Second, func() bool {
		return adminGet(t, srv.URL+"/api/v1/segments/recompute", &status) == http.StatusOK && !status.Running
	})

	identify(t, srv.URL, "fan-1", `{"email":"fan@example.com"}`)
	now := time.Now().UTC()
	track(t, srv.URL, "fan-1", "Webinar Attended", now.Add(-48*time.Hour), now.Add(-time.Hour))
	var p struct{ ID string }
	waitFor(t, 15*time.Second, func() bool {
		return adminGet(t, srv.URL+"/api/v1/profiles/lookup?userId=fan-1", &p) == http.StatusOK
	})
	var members struct {
		Members []struct{ ProfileID string }
		Total   int
	}
	waitFor(t, 15*time.Second, func() bool {
		return adminGet(t, srv.URL+"/api/v1/segments/webinar-fans/members", &members) == http.StatusOK && members.Total > 0
	})
	if members.Total != 1 || members.Members[0].ProfileID != p.ID {
		t.Fatalf("webinar-fans members %+v, want only %s", members, p.ID)
	}
	select {
	case got := <-entered:
		if got != "segment.entered webinar-fans "+p.ID {
			t.Fatalf("delivery %q, want segment.entered webinar-fans %s", got, p.ID)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("no segment.entered delivery within 20s; logs:\n%s", srv.Logs())
	}
}

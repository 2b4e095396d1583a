package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// scoreOf is what the tests read of GET /api/v1/profiles/{id}/score.
type scoreOf struct {
	Fit        struct{ Score float64 }
	Engagement struct{ Score float64 }
	Lifecycle  struct{ Stage string }
	Priority   float64
	UpdatedAt  time.Time
}

// track sends track calls for a user, each at its time.
func track(t *testing.T, url, userID, event string, times ...time.Time) {
	t.Helper()
	for i, ts := range times {
		body := fmt.Sprintf(`{"userId":%q,"event":%q,"messageId":"%s-%s-%d","timestamp":%q}`,
			userID, event, userID, strings.ReplaceAll(event, " ", "-"), i, ts.Format(time.RFC3339Nano))
		if code, resp, err := post(http.DefaultClient, url+"/v1/track", body); err != nil || code != http.StatusOK {
			t.Fatalf("track %s %s: status %d, err %v, body %s", userID, event, code, err, resp)
		}
	}
}

// identify sends an identify call with traits (a JSON object).
func identify(t *testing.T, url, userID, traits string) {
	t.Helper()
	body := fmt.Sprintf(`{"userId":%q,"traits":%s}`, userID, traits)
	if code, resp, err := post(http.DefaultClient, url+"/v1/identify", body); err != nil || code != http.StatusOK {
		t.Fatalf("identify %s: status %d, err %v, body %s", userID, code, err, resp)
	}
}

// scoreOfUser waits until the user's profile has a score for which ok
// holds, and returns the profile id and the score.
func scoreOfUser(t *testing.T, url, userID string, ok func(scoreOf) bool) (string, scoreOf) {
	t.Helper()
	var p struct{ ID string }
	var s scoreOf
	waitFor(t, 15*time.Second, func() bool {
		if adminGet(t, url+"/api/v1/profiles/lookup?userId="+userID, &p) != http.StatusOK {
			return false
		}
		return adminGet(t, url+"/api/v1/profiles/"+p.ID+"/score", &s) == http.StatusOK && ok(s)
	})
	return p.ID, s
}

// TestScoresMoveWithEvents boots the demo, sends an office visit for one
// user and email opens for another, and reads their scores and the leads
// list: scoring runs as events are applied, not in a later job.
func TestScoresMoveWithEvents(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process; skipped with -short")
	}
	srv := startServer(t, "--data", t.TempDir(), "--demo")
	var demoLeads struct{ Total int }
	waitFor(t, 15*time.Second, func() bool {
		return adminGet(t, srv.URL+"/api/v1/leads?limit=1", &demoLeads) == http.StatusOK && demoLeads.Total >= 100
	})

	traits := `{"email":"%s@example.com","age":41,"income":85000,"address":{"postal_code":"10012"}}`
	identify(t, srv.URL, "visitor-1", fmt.Sprintf(traits, "visitor"))
	identify(t, srv.URL, "reader-1", fmt.Sprintf(traits, "reader"))
	visitorID, before := scoreOfUser(t, srv.URL, "visitor-1", func(scoreOf) bool { return true })
	if before.Engagement.Score != 0 || before.Lifecycle.Stage != "lead" {
		t.Fatalf("visitor before any interaction: %+v, want engagement 0, stage lead", before)
	}

	now := time.Now().UTC()
	track(t, srv.URL, "visitor-1", "Office Visited", now.Add(-time.Minute))
	track(t, srv.URL, "reader-1", "Email Opened", now.Add(-3*time.Minute), now.Add(-2*time.Minute), now.Add(-time.Minute))
	_, visitor := scoreOfUser(t, srv.URL, "visitor-1", func(s scoreOf) bool { return s.Engagement.Score > before.Engagement.Score })
	readerID, reader := scoreOfUser(t, srv.URL, "reader-1", func(s scoreOf) bool { return s.Engagement.Score > 0 })
	if visitor.Engagement.Score <= reader.Engagement.Score || visitor.Priority <= reader.Priority {
		t.Fatalf("office visitor %+v, email reader %+v: want the visitor more engaged and ahead", visitor, reader)
	}

	var leads struct {
		Leads []struct {
			ProfileID  string
			Priority   float64
			Engagement struct{ Score float64 }
		}
		Total int
	}
	if code := adminGet(t, srv.URL+"/api/v1/leads?stage=lead&limit=1000", &leads); code != http.StatusOK {
		t.Fatalf("GET /api/v1/leads: status %d", code)
	}
	rank := map[string]int{}
	for i, l := range leads.Leads {
		rank[l.ProfileID] = i + 1
	}
	if rank[visitorID] == 0 || rank[readerID] == 0 || rank[visitorID] > rank[readerID] {
		t.Fatalf("leads rank: visitor %d, reader %d of %d; want both listed, the visitor first", rank[visitorID], rank[readerID], leads.Total)
	}
}

// TestRuleFiresWebhook creates a webhook for the template's hot-lead rule,
// drives a lead over its engagement threshold, and waits for the signed
// delivery.
func TestRuleFiresWebhook(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process; skipped with -short")
	}
	type delivery struct {
		body      []byte
		ts, sig   string
		typ, user string
	}
	got := make(chan delivery, 10)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var n struct {
			Type    string
			Payload struct{ Rule string }
		}
		_ = json.Unmarshal(body, &n)
		got <- delivery{body: body, ts: r.Header.Get("Rapport-Timestamp"), sig: r.Header.Get("Rapport-Signature"), typ: n.Type, user: n.Payload.Rule}
	}))
	defer recv.Close()
	srv := startServer(t, "--data", t.TempDir())

	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/webhooks",
		strings.NewReader(fmt.Sprintf(`{"url":%q,"events":["rule.hot-lead"]}`, recv.URL)))
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var hook struct{ Secret string }
	if err := json.NewDecoder(resp.Body).Decode(&hook); err != nil || resp.StatusCode != http.StatusCreated || hook.Secret == "" {
		t.Fatalf("create webhook: status %d, %v, secret %q", resp.StatusCode, err, hook.Secret)
	}
	resp.Body.Close()

	// Grade B (age, income, service area) and two office visits a day
	// for two days: engagement about 80, over hot-lead's 50.
	identify(t, srv.URL, "hot-1", `{"age":41,"income":85000,"address":{"postal_code":"10012"}}`)
	now := time.Now().UTC()
	track(t, srv.URL, "hot-1", "Office Visited", now.Add(-25*time.Hour), now.Add(-24*time.Hour), now.Add(-2*time.Minute), now.Add(-time.Minute))

	select {
	case d := <-got:
		mac := hmac.New(sha256.New, []byte(hook.Secret))
		mac.Write([]byte(d.ts + "."))
		mac.Write(d.body)
		if want := "sha256=" + hex.EncodeToString(mac.Sum(nil)); !hmac.Equal([]byte(want), []byte(d.sig)) {
			t.Fatalf("signature %q, want %q", d.sig, want)
		}
		if d.typ != "rule.hot-lead" || d.user != "hot-lead" || !strings.Contains(string(d.body), `"engagement"`) {
			t.Fatalf("delivery %s: want type rule.hot-lead carrying the score", d.body)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("no delivery within 20s; server logs:\n%s", srv.Logs())
	}
}

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// vendorPost sends body to path with a vendor key (HTTP Basic) and
// decodes the answer into v.
func vendorPost(t *testing.T, url, key, contentType, body string, v any) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.SetBasicAuth(key, "")
	req.Header.Set("Content-Type", contentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if v != nil {
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("decode %s: %v (%s)", url, err, b)
		}
	}
	return resp.StatusCode
}

// TestLeadsEndToEnd runs lead management in the built binary: a vendor
// declared in rapport.yaml gets a key, sells the same person twice (the
// second time with another email and phone, the same name and address)
// and a lead without consent; the two inquiries join one profile whose
// engagement the forms raised and whose consent the lead recorded; the
// hot lead left waiting raises an SLA webhook; a contact attempt is
// recorded; the duplicates report names both vendors' inquiries.
func TestLeadsEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process; skipped with -short")
	}
	alerts := make(chan string, 10)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n struct {
			Type    string
			Payload struct{ LeadID string }
		}
		b, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(b, &n)
		alerts <- n.Type + " " + n.Payload.LeadID
	}))
	defer recv.Close()
	dir := t.TempDir()
	yaml := "leads:\n  vendors:\n    - {id: acme, name: Acme Leads, exclusive: true, price: 20}\n" +
		"  sla: {hot: 2s, warm: 1h}\n  sla_check_every: 500ms\n  routing: {hot: closers, default: sales}\n"
	if err := os.WriteFile(filepath.Join(dir, "rapport.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := startServer(t, "--data", filepath.Join(dir, "data"), "--config", filepath.Join(dir, "rapport.yaml"))
	if code := adminSend(t, "POST", srv.URL+"/api/v1/webhooks", fmt.Sprintf(`{"url":%q,"events":["lead.sla_breached"]}`, recv.URL), nil); code != http.StatusCreated {
		t.Fatalf("create webhook: %d", code)
	}
	var key struct{ Secret string }
	if code := adminSend(t, "POST", srv.URL+"/api/v1/vendors/acme/keys", "", &key); code != http.StatusCreated || !strings.HasPrefix(key.Secret, "vk_") {
		t.Fatalf("issue vendor key: %d %+v", code, key)
	}

	now := time.Now().UTC()
	lead := func(ext, email, phone string, consent bool) string {
		c := ""
		if consent {
			c = fmt.Sprintf(`,"consent":{"text":"I agree that Acme Insurance may call me.","at":%q,"ip":"203.0.113.8","method":"checkbox","channels":["phone","sms"]}`,
				now.Add(-time.Minute).Format(time.RFC3339))
		}
		return fmt.Sprintf(`{"externalId":%q,"person":{"firstName":"Rosa","lastName":"Parks","email":%q,"phone":%q,`+
			`"address":{"street":"12 Oak Street","postalCode":"98101","region":"WA"},"birthYear":1988},"submittedAt":%q,`+
			`"form":{"seconds":95,"input":"typed","completedBy":"consumer"},"answers":{"product":"home"}%s}`,
			ext, email, phone, now.Add(-time.Minute).Format(time.RFC3339), c)
	}
	var intake struct {
		Accepted, Rejected int
		Leads              []struct {
			LeadID, PersonID, Tier, Error string
			Inquiry                       int
			Contactable                   bool
		}
	}
	body := `{"leads":[` + lead("a-1", "rosa@example.com", "", true) + `,` + lead("a-2", "rparks@work.example", "+1 206 555 0142", true) +
		`,{"person":{"email":"x@example.com"}},` + strings.Replace(lead("a-3", "other@example.com", "", false), "Rosa", "Otto", 1) + `]}`
	if code := vendorPost(t, srv.URL+"/v1/leads", key.Secret, "application/json", body, &intake); code != http.StatusBadRequest {
		t.Fatalf("intake: %d %+v", code, intake)
	}
	first, second, held := intake.Leads[0], intake.Leads[1], intake.Leads[3]
	if intake.Accepted != 3 || intake.Leads[2].Error == "" || second.Inquiry != 2 || second.PersonID != first.PersonID ||
		held.Contactable || held.Tier != "hold" || first.Tier != "hot" {
		t.Fatalf("intake answer %+v", intake)
	}

	// Both inquiries join one profile, through the lead's person and identity resolution.
	var p struct {
		ID         string
		Identities []struct{ Kind, Value string }
		Traits     map[string]any
		Consents   map[string]struct{ Granted bool }
	}
	waitFor(t, 15*time.Second, func() bool {
		return adminGet(t, srv.URL+"/api/v1/profiles/lookup?email=rparks@work.example", &p) == http.StatusOK &&
			fmt.Sprint(p.Traits["lead_inquiries"]) == "2"
	})
	var other struct{ ID string }
	if adminGet(t, srv.URL+"/api/v1/profiles/lookup?email=rosa@example.com", &other); other.ID != p.ID {
		t.Fatalf("the two inquiries are profiles %s and %s, want one", p.ID, other.ID)
	}
	if !p.Consents["phone"].Granted {
		t.Fatalf("profile consents %+v, want phone granted by the lead's record", p.Consents)
	}
	var score struct{ Engagement struct{ Score float64 } }
	waitFor(t, 15*time.Second, func() bool {
		return adminGet(t, srv.URL+"/api/v1/profiles/"+p.ID+"/score", &score) == http.StatusOK && score.Engagement.Score > 0
	})

	// The hot leads wait past their 2 s SLA: each raises one alert.
	got := map[string]bool{}
	for len(got) < 2 {
		select {
		case a := <-alerts:
			got[a] = true
		case <-time.After(20 * time.Second):
			t.Fatalf("alerts %v within 20s, want both hot leads; logs:\n%s", got, srv.Logs())
		}
	}
	if !got["lead.sla_breached "+first.LeadID] || !got["lead.sla_breached "+second.LeadID] {
		t.Fatalf("alerts %v", got)
	}

	code, out, err := post(http.DefaultClient, srv.URL+"/v1/leads/contacts",
		fmt.Sprintf(`{"leadId":%q,"at":%q,"outcome":"reached","agent":"kim"}`, first.LeadID, time.Now().UTC().Format(time.RFC3339)))
	if err != nil || code != http.StatusOK || !strings.Contains(out, `"consent":"granted"`) {
		t.Fatalf("contact attempt: %d %s %v", code, out, err)
	}
	var one struct{ Speed struct{ Attempts int } }
	if adminGet(t, srv.URL+"/api/v1/leads/"+first.LeadID, &one); one.Speed.Attempts != 1 {
		t.Fatalf("lead after the attempt %+v", one)
	}
	var dups []struct {
		PersonID  string
		Inquiries []struct{ LeadID, VendorID string }
	}
	if adminGet(t, srv.URL+"/api/v1/leads/duplicates", &dups); len(dups) != 1 || len(dups[0].Inquiries) != 2 || dups[0].Inquiries[0].VendorID != "acme" {
		t.Fatalf("duplicates %+v", dups)
	}
	var bid struct {
		Bid     float64
		Inquiry int
	}
	if code := vendorPost(t, srv.URL+"/api/v1/leads/price", key.Secret, "application/json", lead("", "rosa@example.com", "", true), &bid); code != http.StatusOK || bid.Inquiry != 3 || bid.Bid <= 0 {
		t.Fatalf("price: %d %+v", code, bid)
	}
	var proof struct {
		HashMatches bool
		Record      struct{ Text string }
	}
	if adminGet(t, srv.URL+"/api/v1/leads/"+first.LeadID+"/consent", &proof); !proof.HashMatches || !strings.HasPrefix(proof.Record.Text, "I agree") {
		t.Fatalf("consent proof %+v", proof)
	}
}

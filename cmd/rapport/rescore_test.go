package main

import (
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapportdev/rapport/scoring"
)

// rescoreStatus is what the tests read of GET /api/v1/scoring/rescore.
type rescoreStatus struct {
	ModelVersion int
	ModelSource  string
	Running      bool
	Reason       string
	Scanned      int
	Written      int
	Error        string
}

// adminPut sends body with the test admin token.
func adminPut(t *testing.T, url, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPut, url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	req.Header.Set("Content-Type", "application/yaml")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// waitRescored waits until a pass for reason has finished and returns it.
func waitRescored(t *testing.T, url, reason string) rescoreStatus {
	t.Helper()
	var st rescoreStatus
	waitFor(t, 30*time.Second, func() bool {
		return adminGet(t, url+"/api/v1/scoring/rescore", &st) == http.StatusOK && !st.Running && st.Reason == reason
	})
	if st.Error != "" {
		t.Fatalf("pass %q failed: %s", reason, st.Error)
	}
	return st
}

// TestModelFromConfigReplacedAndKept declares the model in rapport.yaml,
// replaces it through the API (every profile is rescored in the
// background), restarts with the same file (the API's version stays), then
// with a changed file (the file wins).
func TestModelFromConfigReplacedAndKept(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes; skipped with -short")
	}
	dir, data := t.TempDir(), t.TempDir()
	conf := filepath.Join(dir, "rapport.yaml")
	write := func(text string) {
		if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("scoring:\n  template: b2c\nrescore:\n  every: \"0\"\n")
	srv := startServer(t, "--data", data, "--demo", "--config", conf)
	first := waitRescored(t, srv.URL, "model version 1")
	waitAllApplied(t, srv)
	var leads struct{ Total int }
	if adminGet(t, srv.URL+"/api/v1/leads?limit=1", &leads); leads.Total < 100 {
		t.Fatalf("%d leads after the demo, want at least 100", leads.Total)
	}

	b2c, err := scoring.TemplateYAML("b2c")
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(b2c), "name: B2C", "name: Our shop", 1)
	if code, body := adminPut(t, srv.URL+"/api/v1/scoring/model", strings.Replace(edited, "weight:", "wieght:", 1)); code != http.StatusBadRequest ||
		!strings.Contains(body, "wieght") {
		t.Fatalf("PUT of a model with a typo: %d %s; want 400 naming the field", code, body)
	}
	if code, body := adminPut(t, srv.URL+"/api/v1/scoring/model", edited); code != http.StatusOK || !strings.Contains(body, `"version":2`) {
		t.Fatalf("PUT model: %d %s", code, body)
	}
	second := waitRescored(t, srv.URL, "model version 2")
	if second.ModelVersion != 2 || second.ModelSource != "api" || second.Written < leads.Total {
		t.Fatalf("after PUT: %+v; want version 2 from the api, at least %d scores written (pass at start: %+v)", second, leads.Total, first)
	}
	var lead struct {
		Leads []struct{ ProfileID string }
	}
	adminGet(t, srv.URL+"/api/v1/leads?limit=1", &lead)
	var sc struct{ Version int }
	if adminGet(t, srv.URL+"/api/v1/profiles/"+lead.Leads[0].ProfileID+"/score", &sc) != http.StatusOK || sc.Version != 2 {
		t.Fatalf("top lead's score has version %d, want 2", sc.Version)
	}
	srv.stop(t)

	srv = startServer(t, "--data", data, "--config", conf)
	if st := waitRescored(t, srv.URL, "start"); st.ModelVersion != 2 || st.ModelSource != "api" {
		t.Fatalf("restart with the same rapport.yaml: %+v; want the API's version 2 kept", st)
	}
	srv.stop(t)

	write("scoring:\n  template: b2b\n")
	srv = startServer(t, "--data", data, "--config", conf)
	if st := waitRescored(t, srv.URL, "model version 3"); st.ModelSource != "template b2b" {
		t.Fatalf("restart with a changed rapport.yaml: %+v; want version 3 from template b2b", st)
	}
	var m struct {
		Version int
		Name    string
	}
	if adminGet(t, srv.URL+"/api/v1/scoring/model", &m); m.Version != 3 || m.Name != "B2B" {
		t.Fatalf("model after the file changed: %+v", m)
	}
	srv.stop(t)

	write("scoring:\n  templat: b2b\n")
	out, err := exec.Command(rapportBinary(t), "serve", "--data", data, "--config", conf).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "line 2: field templat not found") {
		t.Fatalf("serve with a typo in rapport.yaml: %v\n%s", err, out)
	}
}

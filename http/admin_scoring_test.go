package http_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/scoring"
)

// b2cWith returns the b2c template with one text replaced.
func b2cWith(t *testing.T, old, new string) string {
	t.Helper()
	b, err := scoring.TemplateYAML("b2c")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("b2c template has no %q", old)
	}
	return strings.Replace(string(b), old, new, 1)
}

func TestAdminScoringModel(t *testing.T) {
	renamed := b2cWith(t, "name: B2C", "name: Our shop")
	typo := b2cWith(t, "weight:", "wieght:")
	invalid := b2cWith(t, "half_life:", "half_life: -3d #")
	runAdminScenarios(t, []adminScenario{
		{name: "model", method: "GET", url: "/api/v1/scoring/model", wantStatus: 200,
			wantBody: []string{`"version":1`, `"name":"B2C"`, `"halfLife":"30d"`, `"rules":[{"name":"hot-lead"`}},
		{name: "replace", method: "PUT", url: "/api/v1/scoring/model", body: renamed, wantStatus: 200,
			wantBody: []string{`"model":{"version":2,"name":"Our shop"`, `"modelVersion":2`, `"modelSource":"api"`},
			after: func(t *testing.T, f *adminFixture, body string) {
				st := f.keeper.Wait()
				if st.Scanned != 3 || st.Written != 3 || st.Error != "" {
					t.Errorf("rescoring after the replacement: %+v, want the 3 stored profiles scored", st)
				}
				rec, err := f.store.FindScore(context.Background(), "p_ann")
				if err != nil || !strings.Contains(string(rec.Result), `"version":2`) {
					t.Errorf("p_ann's score after rescoring: %v, %v; want version 2", rec, err)
				}
				vs, err := f.store.ListModels(context.Background(), rapport.ModelScoring)
				if err != nil || len(vs) != 2 || vs[0].Source != "api" {
					t.Errorf("stored versions %+v, %v; want 2, the newest from the api", vs, err)
				}
			}},
		{name: "replace with JSON", method: "PUT", url: "/api/v1/scoring/model", body: modelJSON(t, renamed), wantStatus: 200,
			wantBody: []string{`"version":2`, `"name":"Our shop"`}},
		{name: "typo names the line", method: "PUT", url: "/api/v1/scoring/model", body: typo, wantStatus: 400,
			wantBody: []string{`"code":"invalid"`, `field wieght not found`}},
		{name: "invalid value names field and line", method: "PUT", url: "/api/v1/scoring/model", body: invalid, wantStatus: 400,
			wantBody: []string{`"problems":[{"path":"engagement.half_life","line":`}},
		{name: "empty body", method: "PUT", url: "/api/v1/scoring/model", body: "", wantStatus: 400,
			wantBody: []string{`"code":"invalid"`, "empty document"}},
		{name: "versions", method: "GET", url: "/api/v1/scoring/models", wantStatus: 200,
			wantBody: []string{`"versions":[{"kind":"scoring","version":1,"source":"template b2c"`}, notBody: []string{"fit:"}},
		{name: "rescore on request", method: "POST", url: "/api/v1/scoring/rescore", wantStatus: 202,
			wantBody: []string{`"running":true`, `"reason":"requested through the API"`},
			after: func(t *testing.T, f *adminFixture, body string) {
				if st := f.keeper.Wait(); st.Written != 3 || st.Running {
					t.Errorf("status after the pass: %+v", st)
				}
			}},
		{name: "rescore status", method: "GET", url: "/api/v1/scoring/rescore", wantStatus: 200,
			wantBody: []string{`"modelVersion":1`, `"modelSource":"template b2c"`, `"running":false`}},
	})
}

// modelJSON turns a YAML model into JSON, as a client might send it.
func modelJSON(t *testing.T, y string) string {
	t.Helper()
	m, err := scoring.ParseModel([]byte(y))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

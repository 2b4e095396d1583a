package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
)

// adminScore returns a stored score of the profile, its result shaped as
// scoring writes it.
func adminScore(profileID, grade, stage string, engagement, priority float64) rapport.ScoreRecord {
	result := fmt.Sprintf(`{"fit":{"score":70,"grade":%q},"engagement":{"score":%g},`+
		`"lifecycle":{"stage":%q,"since":"2025-03-01T10:00:00Z"},"priority":%g,`+
		`"explanation":[{"dimension":"fit","rule":"age","points":20,"detail":"in 30–64"}],"version":1,"at":"2025-03-01T12:00:00Z"}`,
		grade, engagement, stage, priority)
	return rapport.ScoreRecord{ProfileID: profileID, Fit: 70, Grade: grade, Engagement: engagement, Stage: stage,
		Priority: priority, State: json.RawMessage(`{}`), Result: json.RawMessage(result),
		UpdatedAt: adminTestBase.Add(2 * time.Hour)}
}

// seedScores scores p_ann and p_bob.
func seedScores(t *testing.T, f *adminFixture) {
	t.Helper()
	err := f.store.ApplyChanges(context.Background(), rapport.Changes{Scores: []rapport.ScoreRecord{
		adminScore("p_ann", "A", "new_customer", 30, 55.5), adminScore("p_bob", "B", "lead", 60, 40)},
		Base: 6, Checkpoint: 7})
	if err != nil {
		t.Fatalf("apply scores: %v", err)
	}
}

func TestAdminScore(t *testing.T) {
	runAdminScenarios(t, []adminScenario{
		{name: "score", method: "GET", url: "/api/v1/profiles/p_ann/score", before: seedScores, wantStatus: 200,
			wantBody: []string{`"fit":{"score":70,"grade":"A"}`, `"engagement":{"score":30}`,
				`"lifecycle":{"stage":"new_customer","since":"2025-03-01T10:00:00Z"}`, `"priority":55.5`,
				`"explanation":[{"dimension":"fit","rule":"age"`, `"updatedAt":"2025-03-01T12:00:00Z"`}},
		{name: "not scored yet", method: "GET", url: "/api/v1/profiles/p_acme/score", before: seedScores, wantStatus: 404,
			wantBody: []string{`"code":"not_found"`, "has no score"}},
		{name: "unknown profile", method: "GET", url: "/api/v1/profiles/p_nope/score", wantStatus: 404,
			wantBody: []string{`"code":"not_found"`}, notBody: []string{"mergedInto"}},
		{name: "merged names the survivor", method: "GET", url: "/api/v1/profiles/p_old/score", wantStatus: 404,
			wantBody: []string{`"mergedInto":"p_ann"`}},
	})
}

func TestAdminLeads(t *testing.T) {
	runAdminScenarios(t, []adminScenario{
		{name: "all, priority first", method: "GET", url: "/api/v1/leads", before: seedScores, wantStatus: 200,
			wantBody: []string{`{"leads":[{"profileId":"p_ann","priority":55.5,"fit":{"score":70,"grade":"A"},` +
				`"engagement":{"score":30},"lifecycle":{"stage":"new_customer","since":"2025-03-01T10:00:00Z"}},{"profileId":"p_bob"`,
				`"total":2`, `"next":""`}},
		{name: "filters", method: "GET", url: "/api/v1/leads?grade=A,B&stage=lead,new_customer&min_engagement=50",
			before: seedScores, wantStatus: 200, wantBody: []string{`"profileId":"p_bob"`, `"total":1`}, notBody: []string{"p_ann"}},
		{name: "paging", method: "GET", url: "/api/v1/leads?limit=1", before: seedScores, wantStatus: 200,
			wantBody: []string{`"profileId":"p_ann"`, `"total":2`, `"next":"/api/v1/leads?limit=1&offset=1"`}},
		{name: "bad grade", method: "GET", url: "/api/v1/leads?grade=A,E", wantStatus: 400,
			wantBody: []string{`"code":"invalid"`, `grade: \"E\" is not one of A, B, C, D`}},
		{name: "bad stage", method: "GET", url: "/api/v1/leads?stage=customer", wantStatus: 400,
			wantBody: []string{`stage: \"customer\" is not one of`}},
		{name: "bad min_engagement", method: "GET", url: "/api/v1/leads?min_engagement=high", wantStatus: 400,
			wantBody: []string{"min_engagement: must be one number from 0 to 100"}},
		{name: "bad limit", method: "GET", url: "/api/v1/leads?limit=0", wantStatus: 400, wantBody: []string{"limit:"}},
	})
}

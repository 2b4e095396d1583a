package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/rapportdev/rapport"
)

// score returns a score record of the profile.
func score(profileID, grade, stage string, engagement, priority float64) rapport.ScoreRecord {
	return rapport.ScoreRecord{
		ProfileID: profileID, Fit: 60, Grade: grade, Engagement: engagement, Stage: stage, Priority: priority,
		State:     json.RawMessage(`{"stage":"` + stage + `"}`),
		Result:    json.RawMessage(fmt.Sprintf(`{"priority":%g,"explanation":[{"rule":"age"}]}`, priority)),
		UpdatedAt: at(int(priority)),
	}
}

// findScore reads a score and fails the test on error.
func findScore(t *testing.T, s rapport.Store, id string) *rapport.ScoreRecord {
	t.Helper()
	r, err := s.FindScore(context.Background(), id)
	if err != nil {
		t.Fatalf("FindScore(%s): %v", id, err)
	}
	return r
}

// equalScore compares two records, their JSON by meaning (a backend may
// re-space it).
func equalScore(t *testing.T, what string, got *rapport.ScoreRecord, want rapport.ScoreRecord) {
	t.Helper()
	var gs, ws, gr, wr any
	for _, d := range []struct {
		b   []byte
		dst *any
	}{{got.State, &gs}, {want.State, &ws}, {got.Result, &gr}, {want.Result, &wr}} {
		if err := json.Unmarshal(d.b, d.dst); err != nil {
			t.Fatalf("%s: %s is not JSON: %v", what, d.b, err)
		}
	}
	equal(t, what+" state", gs, ws)
	equal(t, what+" result", gr, wr)
	g, w := *got, want
	g.State, g.Result, w.State, w.Result = nil, nil, nil, nil
	equal(t, what, g, w)
}

func testScores(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	_, err := s.FindScore(ctx, "p1")
	wantCode(t, "FindScore of an unscored profile", err, rapport.ENOTFOUND)
	first := score("p1", "B", "lead", 40, 30)
	apply(t, s, rapport.Changes{Profiles: []*rapport.Profile{person("p1")}, Scores: []rapport.ScoreRecord{first}, Checkpoint: 1})
	equalScore(t, "score", findScore(t, s, "p1"), first)

	// A score written again is replaced whole.
	second := score("p1", "A", "new_customer", 80, 70)
	apply(t, s, rapport.Changes{Scores: []rapport.ScoreRecord{second}, Base: 1, Checkpoint: 2})
	equalScore(t, "score replaced", findScore(t, s, "p1"), second)

	got, err := s.FindScores(ctx, []string{"p1", "nobody"})
	if err != nil {
		t.Fatalf("FindScores: %v", err)
	}
	if len(got) != 1 || got["p1"] == nil {
		t.Fatalf("FindScores = %v, want p1's score only", got)
	}
	equalScore(t, "FindScores p1", got["p1"], second)
	if got, err := s.FindScores(ctx, nil); err != nil || len(got) != 0 {
		t.Fatalf("FindScores(nil) = %v, %v; want none", got, err)
	}

	// Refused changes write no score.
	err = s.ApplyChanges(ctx, rapport.Changes{Scores: []rapport.ScoreRecord{score("p2", "A", "lead", 1, 1)}, Base: 0, Checkpoint: 3})
	wantCode(t, "ApplyChanges from a stale base", err, rapport.ECONFLICT)
	_, err = s.FindScore(ctx, "p2")
	wantCode(t, "score of refused changes", err, rapport.ENOTFOUND)
	err = s.ApplyChanges(ctx, rapport.Changes{Scores: []rapport.ScoreRecord{{Grade: "A"}}, Base: 2, Checkpoint: 3})
	wantCode(t, "score without profile", err, rapport.EINVALID)
}

func testLeads(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	leads := []rapport.ScoreRecord{
		score("a", "A", "lead", 80, 50), score("b", "B", "lead", 40, 70), score("c", "A", "new_customer", 60, 50),
		score("d", "C", "prospect", 10, 20), score("e", "B", "at_risk", 55, 90),
	}
	apply(t, s, rapport.Changes{Scores: leads, Checkpoint: 1})
	ids := func(rs []rapport.ScoreRecord) []string {
		out := []string{}
		for _, r := range rs {
			out = append(out, r.ProfileID)
		}
		return out
	}
	for _, tt := range []struct {
		name   string
		filter rapport.LeadFilter
		want   []string
		total  int
	}{
		{"all, priority then id", rapport.LeadFilter{}, []string{"e", "b", "a", "c", "d"}, 5},
		{"grades", rapport.LeadFilter{Grades: []string{"A", "B"}}, []string{"e", "b", "a", "c"}, 4},
		{"stages", rapport.LeadFilter{Stages: []string{"lead", "prospect"}}, []string{"b", "a", "d"}, 3},
		{"min engagement", rapport.LeadFilter{MinEngagement: 55}, []string{"e", "a", "c"}, 3},
		{"all filters", rapport.LeadFilter{Grades: []string{"A"}, Stages: []string{"lead", "new_customer"}, MinEngagement: 60},
			[]string{"a", "c"}, 2},
		{"page", rapport.LeadFilter{Offset: 1, Limit: 2}, []string{"b", "a"}, 5},
		{"past the end", rapport.LeadFilter{Offset: 10, Limit: 2}, []string{}, 5},
		{"no match", rapport.LeadFilter{Grades: []string{"D"}}, []string{}, 0},
	} {
		got, total, err := s.FindLeads(ctx, tt.filter)
		if err != nil {
			t.Fatalf("%s: FindLeads: %v", tt.name, err)
		}
		equal(t, tt.name, ids(got), tt.want)
		if total != tt.total {
			t.Errorf("%s: total = %d, want %d", tt.name, total, tt.total)
		}
	}
	got, _, err := s.FindLeads(ctx, rapport.LeadFilter{Limit: 1})
	if err != nil || len(got) != 1 {
		t.Fatalf("FindLeads(limit 1) = %v, %v", got, err)
	}
	equalScore(t, "lead record", &got[0], leads[4])
}

func testScoreMergeAndErase(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	apply(t, s, rapport.Changes{
		Profiles:   []*rapport.Profile{person("from"), person("into")},
		Identities: []rapport.IdentityLink{link(rapport.IdentityUserID, "u1", "into"), link(rapport.IdentityAnonymousID, "a1", "from")},
		Scores:     []rapport.ScoreRecord{score("from", "A", "lead", 90, 80), score("into", "B", "lead", 10, 20)},
		Checkpoint: 1,
	})
	kept := score("into", "B", "lead", 12, 22)
	apply(t, s, rapport.Changes{Merges: []rapport.Merge{{From: "from", Into: "into", At: at(2)}},
		Scores: []rapport.ScoreRecord{kept}, Base: 1, Checkpoint: 2})
	_, err := s.FindScore(ctx, "from")
	wantCode(t, "score of a merged-away profile", err, rapport.ENOTFOUND)
	equalScore(t, "survivor's score", findScore(t, s, "into"), kept)
	if _, total, err := s.FindLeads(ctx, rapport.LeadFilter{}); err != nil || total != 1 {
		t.Fatalf("leads after merge: total %d, %v; want 1", total, err)
	}

	if _, err := s.DeleteProfile(ctx, "into"); err != nil {
		t.Fatalf("DeleteProfile: %v", err)
	}
	_, err = s.FindScore(ctx, "into")
	wantCode(t, "score after erasure", err, rapport.ENOTFOUND)
	if _, total, err := s.FindLeads(ctx, rapport.LeadFilter{}); err != nil || total != 0 {
		t.Fatalf("leads after erasure: total %d, %v; want 0", total, err)
	}
}

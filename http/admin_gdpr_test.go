package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
)

func TestAdminErasure(t *testing.T) {
	runAdminScenarios(t, []adminScenario{
		{name: "erase", method: "DELETE", url: "/api/v1/profiles/p_ann", wantStatus: 200,
			wantBody: []string{`"profileId":"p_ann"`, `"events":5`, `"orders":1`, `"merges":1`, `"erasedAt":"`,
				`{"kind":"email","value":"ann@example.com"}`, `{"kind":"phone","value":"+14155550100"}`},
			after: adminCheckAnnErased},
		{name: "unknown", method: "DELETE", url: "/api/v1/profiles/p_nope", wantStatus: 404,
			wantBody: []string{`"code":"not_found"`}},
		{name: "merged", method: "DELETE", url: "/api/v1/profiles/p_old", wantStatus: 404,
			wantBody: []string{`"mergedInto":"p_ann"`},
			after: func(t *testing.T, f *adminFixture, _ string) {
				t.Helper()
				if _, err := f.store.FindProfileByID(context.Background(), "p_ann"); err != nil {
					t.Errorf("survivor after deleting a merged id: got %v, want it kept", err)
				}
			}},
	})
}

// adminCheckAnnErased checks that nothing of Ann can be found afterwards, and
// that Bob is untouched.
func adminCheckAnnErased(t *testing.T, f *adminFixture, _ string) {
	t.Helper()
	for _, path := range []string{
		"/api/v1/profiles/lookup?email=ann@example.com",
		"/api/v1/profiles/lookup?userId=ann-1",
		"/api/v1/profiles/p_ann",
		"/api/v1/profiles/p_ann/events",
		"/api/v1/profiles/p_ann/export",
	} {
		if status, _, body := f.do(t, "GET", path, "", adminHeaders()); status != 404 {
			t.Errorf("GET %s after erasure: got status %d, want 404; body %s", path, status, body)
		}
	}
	// The merge record into Ann went with her, so her old id no longer
	// points at anyone.
	if _, _, body := f.do(t, "GET", "/api/v1/profiles/p_old", "", adminHeaders()); strings.Contains(body, "mergedInto") {
		t.Errorf("GET p_old after erasure: got %s, want no mergedInto", body)
	}
	events, err := f.store.ReadEvents(context.Background(), 0, 100)
	if err != nil {
		t.Fatalf("read events: %v", err)
	}
	if len(events) != 1 || events[0].MessageID != "m-b1" {
		t.Errorf("events after erasure: got %d (%v), want only Bob's m-b1", len(events), events)
	}
	if _, err := f.store.FindProfileByID(context.Background(), "p_bob"); err != nil {
		t.Errorf("p_bob after erasing p_ann: got %v, want it kept", err)
	}
}

func TestAdminExport(t *testing.T) {
	runAdminScenarios(t, []adminScenario{
		{name: "everything", method: "GET", url: "/api/v1/profiles/p_ann/export", wantStatus: 200,
			wantHeaders: map[string]string{
				"Content-Disposition": `attachment; filename="profile-p_ann.json"`,
				"Content-Type":        "application/json",
			},
			wantBody: []string{`"exportedAt":"`, `"profile":{"id":"p_ann"`, `"plan":"pro"`,
				`{"kind":"phone","value":"+14155550100"}`, `"aggregates":{`, `"orderId":"o-1"`,
				`"from":"p_old"`},
			notBody: []string{"m-b1", "bob-1"},
			after:   adminCheckExport},
		{name: "nothing but the profile", method: "GET", url: "/api/v1/profiles/p_acme/export", wantStatus: 200,
			wantBody: []string{`"events":[]`, `"orders":[]`, `"merges":[]`}},
		{name: "unknown", method: "GET", url: "/api/v1/profiles/p_nope/export", wantStatus: 404},
		{name: "merged", method: "GET", url: "/api/v1/profiles/p_older/export", wantStatus: 404,
			wantBody: []string{`"mergedInto":"p_ann"`}},
	})
}

// adminCheckExport decodes the export and checks every section.
func adminCheckExport(t *testing.T, _ *adminFixture, body string) {
	t.Helper()
	var got struct {
		ExportedAt time.Time       `json:"exportedAt"`
		Profile    rapport.Profile `json:"profile"`
		Events     []rapport.Event `json:"events"`
		Orders     []rapport.Order `json:"orders"`
		Merges     []rapport.Merge `json:"merges"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("decode export: %v", err)
	}
	if got.ExportedAt.IsZero() {
		t.Errorf("exportedAt: got zero, want the time of export")
	}
	if len(got.Profile.Identities) != 4 {
		t.Errorf("identities: got %v, want 4", got.Profile.Identities)
	}
	if len(got.Events) != 5 || got.Events[0].MessageID != "m-a5" || got.Events[4].MessageID != "m-a1" {
		t.Errorf("events: got %d, want m-a5 ... m-a1", len(got.Events))
	}
	if len(got.Orders) != 1 || len(got.Orders[0].Products) != 1 {
		t.Errorf("orders: got %+v, want o-1 with its product", got.Orders)
	}
	if len(got.Merges) != 1 || got.Merges[0].From != "p_old" {
		t.Errorf("merges: got %+v, want p_old into p_ann", got.Merges)
	}
}

// TestAdminExportPagesThroughEvents checks that an export holds every
// event, past the store's largest page.
func TestAdminExportPagesThroughEvents(t *testing.T) {
	f := newAdminFixture(t)
	const extra = 1200
	events := make([]rapport.Event, extra)
	for i := range events {
		events[i] = adminTestEvent(fmt.Sprintf("m-bulk-%d", i), rapport.EventPage, "bob-1", "", "", i+1)
		events[i].Seq = int64(7 + i) // after the fixture's six
	}
	changes := rapport.Changes{Events: events, Base: 6, Checkpoint: 6 + extra}
	if err := f.store.ApplyChanges(context.Background(), changes); err != nil {
		t.Fatalf("store events: %v", err)
	}
	status, _, body := f.do(t, "GET", "/api/v1/profiles/p_bob/export", "", adminHeaders())
	if status != 200 {
		t.Fatalf("export: got status %d, want 200; body %.300s", status, body)
	}
	var got struct {
		Events []rapport.Event `json:"events"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("decode export: %v", err)
	}
	seen := make(map[string]bool)
	for _, e := range got.Events {
		seen[e.MessageID] = true
	}
	if len(got.Events) != extra+1 || len(seen) != extra+1 {
		t.Errorf("export events: got %d (%d distinct), want %d", len(got.Events), len(seen), extra+1)
	}
}

package http_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
)

func TestAdminKeys(t *testing.T) {
	runAdminScenarios(t, []adminScenario{
		{name: "list", method: "GET", url: "/api/v1/keys", wantStatus: 200,
			wantBody: []string{`"kind":"admin"`, `"kind":"write"`, `"id":"k_`, `"createdAt":"`},
			notBody: []string{"hash", rapport.HashSecret(adminTestToken), rapport.HashSecret(adminTestWriteKey),
				adminTestToken, "secret"}},
		{name: "create write key", method: "POST", url: "/api/v1/keys", body: `{"kind":"write","name":" website "}`,
			wantStatus: 201, wantBody: []string{`"kind":"write"`, `"name":"website"`, `"secret":"wk_`, `"id":"k_`},
			notBody:     []string{"hash"},
			wantHeaders: map[string]string{"Cache-Control": "no-store"},
			after:       adminCheckKeyStored},
		{name: "create admin token", method: "POST", url: "/api/v1/keys", body: `{"kind":"admin","name":"ops"}`,
			wantStatus: 201, wantBody: []string{`"kind":"admin"`, `"secret":"at_`}, after: adminCheckKeyStored},
		{name: "unknown field", method: "POST", url: "/api/v1/keys", body: `{"kind":"write","name":"x","colour":"red"}`,
			wantStatus: 400, wantBody: []string{`"code":"invalid"`, "unknown field", "colour"}},
		{name: "bad kind", method: "POST", url: "/api/v1/keys", body: `{"kind":"root","name":"x"}`,
			wantStatus: 400, wantBody: []string{"kind: must be write or admin"}},
		{name: "no name", method: "POST", url: "/api/v1/keys", body: `{"kind":"write","name":"  "}`,
			wantStatus: 400, wantBody: []string{"name: required"}},
		{name: "long name", method: "POST", url: "/api/v1/keys",
			body:       `{"kind":"write","name":"` + strings.Repeat("n", 201) + `"}`,
			wantStatus: 400, wantBody: []string{"name: longer than 200"}},
		{name: "wrong type", method: "POST", url: "/api/v1/keys", body: `{"kind":"write","name":7}`,
			wantStatus: 400, wantBody: []string{`field \"name\"`}},
		{name: "malformed", method: "POST", url: "/api/v1/keys", body: `{"kind":`,
			wantStatus: 400, wantBody: []string{"malformed JSON"}},
		{name: "empty", method: "POST", url: "/api/v1/keys", wantStatus: 400,
			wantBody: []string{"body: empty"}},
		{name: "trailing data", method: "POST", url: "/api/v1/keys", body: `{"kind":"write","name":"a"} {}`,
			wantStatus: 400, wantBody: []string{"nothing after it"}},
		{name: "over 64 KB", method: "POST", url: "/api/v1/keys",
			body:       `{"kind":"write","name":"` + strings.Repeat("n", 64<<10) + `"}`,
			wantStatus: 413, wantBody: []string{"larger than 64 KB"}},
		{name: "revoke", method: "DELETE", url: "/api/v1/keys/{writeKeyID}", wantStatus: 204,
			after: adminWantKeyCount(1)},
		{name: "revoke unknown", method: "DELETE", url: "/api/v1/keys/k_nope", wantStatus: 404,
			wantBody: []string{`"code":"not_found"`}, after: adminWantKeyCount(2)},
		{name: "last admin token kept", method: "DELETE", url: "/api/v1/keys/{adminKeyID}", wantStatus: 409,
			wantBody: []string{`"code":"conflict"`, "last admin token"}, after: adminWantKeyCount(2)},
		{name: "admin token revoked when another exists", method: "DELETE", url: "/api/v1/keys/{adminKeyID}",
			before: func(t *testing.T, f *adminFixture) {
				t.Helper()
				createAdminTestKey(t, f.store, rapport.KeyAdmin, "at_second")
			},
			headers: map[string]string{"Authorization": "Bearer at_second"}, wantStatus: 204,
			after: adminWantKeyCount(2)},
	})
}

// adminCheckKeyStored checks that the created key is stored under the hash of
// the secret shown, never the secret itself.
func adminCheckKeyStored(t *testing.T, f *adminFixture, body string) {
	t.Helper()
	var created struct {
		ID        string    `json:"id"`
		Kind      string    `json:"kind"`
		Secret    string    `json:"secret"`
		CreatedAt time.Time `json:"createdAt"`
	}
	if err := json.Unmarshal([]byte(body), &created); err != nil {
		t.Fatalf("decode created key: %v", err)
	}
	keys, err := f.store.FindKeys(context.Background())
	if err != nil {
		t.Fatalf("find keys: %v", err)
	}
	for _, k := range keys {
		if k.ID == created.ID {
			if k.Hash != rapport.HashSecret(created.Secret) || string(k.Kind) != created.Kind {
				t.Errorf("stored key: got kind %s hash %s, want %s and the secret's hash", k.Kind, k.Hash, created.Kind)
			}
			return
		}
	}
	t.Errorf("created key %s: not stored", created.ID)
}

// adminWantKeyCount checks how many keys are stored after the request.
func adminWantKeyCount(want int) func(*testing.T, *adminFixture, string) {
	return func(t *testing.T, f *adminFixture, _ string) {
		t.Helper()
		keys, err := f.store.FindKeys(context.Background())
		if err != nil {
			t.Fatalf("find keys: %v", err)
		}
		if len(keys) != want {
			t.Errorf("keys: got %d, want %d", len(keys), want)
		}
	}
}

// TestAdminKeyChangesApplyAtOnce checks that a created token works, and a
// revoked one fails, on the very next request.
func TestAdminKeyChangesApplyAtOnce(t *testing.T) {
	f := newAdminFixture(t)
	status, _, body := f.do(t, "POST", "/api/v1/keys", `{"kind":"admin","name":"ops"}`, adminHeaders())
	if status != 201 {
		t.Fatalf("create: got status %d, want 201; body %s", status, body)
	}
	var created struct{ ID, Secret string }
	if err := json.Unmarshal([]byte(body), &created); err != nil {
		t.Fatalf("decode created key: %v", err)
	}
	asNew := map[string]string{"Authorization": "Bearer " + created.Secret}
	if status, _, body := f.do(t, "GET", "/api/v1/keys", "", asNew); status != 200 {
		t.Fatalf("new token: got status %d, want 200; body %s", status, body)
	}
	if status, _, body := f.do(t, "DELETE", "/api/v1/keys/"+created.ID, "", adminHeaders()); status != 204 {
		t.Fatalf("revoke: got status %d, want 204; body %s", status, body)
	}
	if status, _, body := f.do(t, "GET", "/api/v1/keys", "", asNew); status != 401 {
		t.Errorf("revoked token: got status %d, want 401; body %s", status, body)
	}
}

package main

import (
	"net/http"
	"testing"
	"time"
)

// TestIngestRoleWithApplyingProcess runs two processes on one data
// directory: one of role ingest takes the events, one of role all applies
// them, as a deployment that keeps acknowledgement away from applying
// would.
func TestIngestRoleWithApplyingProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes; skipped with -short")
	}
	data := t.TempDir()
	ingestSrv := startServer(t, "--data", data, "--role", "ingest")
	applySrv := startServer(t, "--data", data, "--role", "all")

	body := `{"userId":"role-1","event":"Order Completed","properties":{"order_id":"r-1","revenue":10}}`
	if code, resp, err := post(http.DefaultClient, ingestSrv.URL+"/v1/track", body); err != nil || code != http.StatusOK {
		t.Fatalf("track on the ingest process: status %d, err %v, body %s", code, err, resp)
	}
	var p struct {
		ID         string
		Aggregates struct{ Orders int64 }
	}
	waitFor(t, 10*time.Second, func() bool {
		return adminGet(t, applySrv.URL+"/api/v1/profiles/lookup?userId=role-1", &p) == http.StatusOK && p.Aggregates.Orders == 1
	})
	req, _ := http.NewRequest(http.MethodDelete, ingestSrv.URL+"/api/v1/profiles/"+p.ID, nil)
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("erase on the ingest process: status %d, want %d (erasure runs where events are applied)", resp.StatusCode, http.StatusConflict)
	}
}

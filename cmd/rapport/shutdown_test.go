package main

import (
	"io"
	"net/http"
	"os"
	"testing"
	"time"
)

// TestShutdownDrainsInFlightRequests sends half a request, signals
// SIGTERM, sends the rest, and expects the request to be answered and
// its event kept: a graceful shutdown finishes what it started.
func TestShutdownDrainsInFlightRequests(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process; skipped with -short")
	}
	data := t.TempDir()
	srv := startServer(t, "--data", data)
	body := `{"userId":"drain-1","messageId":"drain-msg-1","event":"Signed Up"}`
	pr, pw := io.Pipe()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/track", pr)
	req.SetBasicAuth(testWriteKey, "")
	req.ContentLength = int64(len(body))
	answered := make(chan int, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Errorf("in-flight request failed: %v", err)
			answered <- 0
			return
		}
		resp.Body.Close()
		answered <- resp.StatusCode
	}()
	half := len(body) / 2
	if _, err := pw.Write([]byte(body[:half])); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // the server is reading the body
	if err := srv.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // shutdown has begun
	if _, err := pw.Write([]byte(body[half:])); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	if code := <-answered; code != http.StatusOK {
		t.Fatalf("in-flight request answered %d during shutdown, want 200", code)
	}
	select {
	case <-srv.done:
	case <-time.After(30 * time.Second):
		t.Fatal("server did not exit after draining")
	}
	if ids := exportedIDs(t, "--data", data); !ids["drain-msg-1"] {
		t.Errorf("the event acknowledged during shutdown is not stored")
	}
}

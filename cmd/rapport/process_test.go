package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Test keys seeded through the environment, as automation would.
const (
	testWriteKey   = "wk_test_secret"
	testAdminToken = "at_test_secret"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// rapportBinary builds the command once per test run.
func rapportBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "rapport-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "rapport")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// serverProcess is a `rapport serve` running as a child process.
type serverProcess struct {
	cmd  *exec.Cmd
	URL  string
	logs *bytes.Buffer
	mu   *sync.Mutex
	done chan struct{}
}

// startServer runs `rapport serve` with args on a free loopback port and
// waits until it listens.
func startServer(t *testing.T, args ...string) *serverProcess {
	t.Helper()
	args = append([]string{"serve", "--addr", "127.0.0.1:0", "--log-format", "json"}, args...)
	cmd := exec.Command(rapportBinary(t), args...)
	cmd.Env = append(os.Environ(), "RAPPORT_WRITE_KEY="+testWriteKey, "RAPPORT_ADMIN_TOKEN="+testAdminToken)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serverProcess{cmd: cmd, logs: &bytes.Buffer{}, mu: &sync.Mutex{}, done: make(chan struct{})}
	addrc := make(chan string, 1)
	go p.readLogs(stderr, addrc)
	go func() { _ = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() { p.kill() })
	select {
	case addr := <-addrc:
		p.URL = "http://" + addr
	case <-p.done:
		t.Fatalf("server exited before listening:\n%s", p.Logs())
	case <-time.After(60 * time.Second):
		t.Fatalf("server did not listen within 60s:\n%s", p.Logs())
	}
	return p
}

func (p *serverProcess) readLogs(r io.Reader, addrc chan<- string) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		p.mu.Lock()
		p.logs.WriteString(line + "\n")
		p.mu.Unlock()
		var rec struct{ Msg, Addr string }
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "rapport listening" {
			addrc <- rec.Addr
		}
	}
}

// Logs returns what the server has logged so far.
func (p *serverProcess) Logs() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.logs.String()
}

// kill ends the process with SIGKILL and waits for it.
func (p *serverProcess) kill() {
	_ = p.cmd.Process.Kill()
	<-p.done
}

// stop ends the process with SIGTERM (graceful) and waits for it.
func (p *serverProcess) stop(t *testing.T) {
	t.Helper()
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		t.Fatalf("server did not stop within 30s:\n%s", p.Logs())
	}
}

// post sends body to path with the test write key and returns the status
// and response body.
func post(client *http.Client, url, body string) (int, string, error) {
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	req.SetBasicAuth(testWriteKey, "")
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// adminGet fetches path with the test admin token and decodes JSON into v.
func adminGet(t *testing.T, url string, v any) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if v != nil && resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatalf("decode %s: %v", url, err)
		}
	}
	return resp.StatusCode
}

// waitAllApplied waits until the server's processor has applied every
// event its log acknowledged (the demo, say).
func waitAllApplied(t *testing.T, srv *serverProcess) {
	t.Helper()
	waitFor(t, 60*time.Second, func() bool {
		appended, applied := metric(t, srv.URL, "rapport_log_appended_seq"), metric(t, srv.URL, "rapport_processor_applied_seq")
		return appended > 0 && applied >= appended
	})
}

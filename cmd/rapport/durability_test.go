package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	natsgo "github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// TestKillDuringLoadLosesNothingAcknowledged kills the server with SIGKILL
// in the middle of a batch load, restarts it, and proves that every
// acknowledged messageId is stored, that each stored event was applied to
// its profile exactly once, and that a retry of acknowledged batches is
// kept once.
func TestKillDuringLoadLosesNothingAcknowledged(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes; skipped with -short")
	}
	for _, backend := range []string{"sqlite", "postgres", "postgres+nats"} {
		t.Run(backend, func(t *testing.T) {
			storeArgs := backendArgs(t, backend)
			killDuringLoad(t, storeArgs)
		})
	}
}

// backendArgs returns the store flags of a fresh store of the backend:
// a temporary data directory, or a new schema in RAPPORT_TEST_POSTGRES's
// database (skipping when it is unset).
func backendArgs(t *testing.T, backend string) []string {
	t.Helper()
	if backend == "sqlite" {
		return []string{"--data", t.TempDir()}
	}
	if pg, ok := strings.CutSuffix(backend, "+nats"); ok {
		return append(backendArgs(t, pg), natsArgs(t)...)
	}
	dsn := os.Getenv("RAPPORT_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("RAPPORT_TEST_POSTGRES is not set: set it to a PostgreSQL URL to run this against PostgreSQL")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect to RAPPORT_TEST_POSTGRES: %v", err)
	}
	defer conn.Close(ctx)
	schema := fmt.Sprintf("rapport_cmd_%d", time.Now().UnixNano())
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), dsn)
		if err == nil {
			c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			c.Close(context.Background())
		}
	})
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return []string{"--postgres", dsn + sep + "search_path=" + schema}
}

// natsArgs returns the flags of a JetStream stream of the test's own,
// deleted at the end (skipping when RAPPORT_TEST_NATS is unset).
func natsArgs(t *testing.T) []string {
	t.Helper()
	url := os.Getenv("RAPPORT_TEST_NATS")
	if url == "" {
		t.Skip("RAPPORT_TEST_NATS is not set: set it to a NATS URL to run this with the log in JetStream")
	}
	stream := fmt.Sprintf("RAPPORT_CMD_%d", time.Now().UnixNano())
	t.Cleanup(func() {
		nc, err := natsgo.Connect(url)
		if err != nil {
			return
		}
		defer nc.Close()
		if js, err := jetstream.New(nc); err == nil {
			_ = js.DeleteStream(context.Background(), stream)
		}
	})
	return []string{"--nats", url, "--nats-stream", stream}
}

// killDuringLoad is the SIGKILL test on one backend.
func killDuringLoad(t *testing.T, storeArgs []string) {
	// Few users send a lot here, so the per-profile rate guard is opened up.
	args := append([]string{"--profile-rate", "1000000", "--profile-burst", "1000000"}, storeArgs...)
	srv := startServer(t, args...)

	load := newBatchLoad(srv.URL, 6, 40)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	load.run(ctx, &wg)
	waitFor(t, 30*time.Second, func() bool { return load.acked.Load() >= 3000 })
	srv.kill() // SIGKILL while the clients are still sending
	cancel()
	wg.Wait()
	acked := load.ackedIDs()
	t.Logf("acknowledged before SIGKILL: %d messages in %d batches", len(acked), len(load.ackedBatches))

	srv = startServer(t, args...)
	// Retries of acknowledged batches must be accepted and kept once.
	for _, body := range load.ackedBatches[:min(5, len(load.ackedBatches))] {
		if code, resp, err := post(http.DefaultClient, srv.URL+"/v1/batch", body); err != nil || code != http.StatusOK {
			t.Fatalf("retry after restart: status %d, err %v, body %s", code, err, resp)
		}
	}
	counts := waitApplied(t, srv, load, len(acked))
	srv.stop(t)

	stored := exportedIDs(t, storeArgs...)
	for id := range acked {
		if !stored[id] {
			t.Fatalf("acknowledged message %s missing after restart", id)
		}
	}
	perUser := map[string]int64{}
	for id := range stored {
		perUser[load.userOf(id)]++
	}
	for user, want := range perUser {
		if got := counts[user]; got != want {
			t.Errorf("profile %s applied %d events, want %d (stored once each)", user, got, want)
		}
	}
}

// batchLoad sends batches of track calls from several clients and records
// which were acknowledged.
type batchLoad struct {
	url     string
	clients int
	size    int
	acked   atomic.Int64

	mu           sync.Mutex
	ackedBatches []string
	acked2       map[string]bool
}

func newBatchLoad(url string, clients, size int) *batchLoad {
	return &batchLoad{url: url, clients: clients, size: size, acked2: map[string]bool{}}
}

func (l *batchLoad) userOf(messageID string) string {
	// messageIds are "kill-<client>-<n>"; each client is one user.
	parts := strings.SplitN(messageID, "-", 3)
	return "user-" + parts[1]
}

func (l *batchLoad) run(ctx context.Context, wg *sync.WaitGroup) {
	for c := 0; c < l.clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: 10 * time.Second}
			for n := 0; ctx.Err() == nil; n++ {
				body, ids := l.batch(c, n)
				code, _, err := post(client, l.url+"/v1/batch", body)
				if err != nil || code != http.StatusOK {
					continue // not acknowledged: the server may or may not have it
				}
				l.record(body, ids)
			}
		}()
	}
}

func (l *batchLoad) batch(client, n int) (string, []string) {
	var b strings.Builder
	ids := make([]string, l.size)
	b.WriteString(`{"batch":[`)
	for i := range l.size {
		ids[i] = fmt.Sprintf("kill-%d-%d", client, n*l.size+i)
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"type":"track","messageId":%q,"userId":"user-%d","event":"Product Viewed",`+
			`"properties":{"product_id":"p-%d","price":12.5},"timestamp":"2026-11-01T10:00:00Z"}`, ids[i], client, i)
	}
	b.WriteString(`]}`)
	return b.String(), ids
}

func (l *batchLoad) record(body string, ids []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ackedBatches = append(l.ackedBatches, body)
	for _, id := range ids {
		l.acked2[id] = true
	}
	l.acked.Add(int64(len(ids)))
}

func (l *batchLoad) ackedIDs() map[string]bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.acked2
}

// waitApplied waits until the restarted server has applied at least the
// acknowledged events and returns, per user, the "Product Viewed" count
// on the profile.
func waitApplied(t *testing.T, srv *serverProcess, l *batchLoad, acked int) map[string]int64 {
	t.Helper()
	// Everything the log holds first: it may hold a batch that was stored
	// but not acknowledged before the kill, which the stored events count.
	waitAllApplied(t, srv)
	counts := map[string]int64{}
	waitFor(t, 60*time.Second, func() bool {
		var total int64
		for c := range l.clients {
			user := fmt.Sprintf("user-%d", c)
			var p struct {
				Aggregates struct{ Events map[string]int64 }
			}
			if adminGet(t, srv.URL+"/api/v1/profiles/lookup?userId="+user, &p) == http.StatusOK {
				counts[user] = p.Aggregates.Events["Product Viewed"]
			}
			total += counts[user]
		}
		return total >= int64(acked)
	})
	return counts
}

// exportedIDs runs `rapport export events` on the store the flags name
// and returns the messageIds, failing on a duplicate.
func exportedIDs(t *testing.T, storeArgs ...string) map[string]bool {
	t.Helper()
	out, err := exec.Command(rapportBinary(t), append([]string{"export", "events"}, storeArgs...)...).Output()
	if err != nil {
		t.Fatalf("export events: %v", err)
	}
	ids := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var ev struct{ MessageID string }
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatalf("export line %q: %v", sc.Text(), err)
		}
		if ids[ev.MessageID] {
			t.Fatalf("messageId %s exported twice", ev.MessageID)
		}
		ids[ev.MessageID] = true
	}
	return ids
}

// waitFor polls cond until it holds or the timeout passes.
func waitFor(t *testing.T, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %s", timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

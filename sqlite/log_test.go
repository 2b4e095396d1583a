package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/sqlite"
	"github.com/rapportdev/rapport/storetest"
)

func TestLogConformance(t *testing.T) {
	storetest.RunLog(t, func(t *testing.T) (rapport.EventLog, func() rapport.EventLog) {
		path := filepath.Join(t.TempDir(), "log.db")
		return openLog(t, path), func() rapport.EventLog { return openLog(t, path) }
	})
}

// openLog opens the log at path and fails the test on error.
func openLog(t testing.TB, path string) *sqlite.Log {
	t.Helper()
	l, err := sqlite.OpenLog(context.Background(), path)
	if err != nil {
		t.Fatalf("OpenLog(%s): %v", path, err)
	}
	return l
}

// TestLogTwoWriters appends through two Logs on one file, as a server and
// a `rapport import` do: neither fails with SQLITE_BUSY, and the Seqs
// each is told are the ones stored with its events.
func TestLogTwoWriters(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "log.db")
	logs := []*sqlite.Log{openLog(t, path), openLog(t, path)}
	defer logs[0].Close()
	defer logs[1].Close()
	const batches, size = 50, 40
	var wg sync.WaitGroup
	seqs := make([]map[int64]string, len(logs))
	for w, l := range logs {
		seqs[w] = map[int64]string{}
		wg.Go(func() {
			for b := range batches {
				events := make([]rapport.Event, size)
				for i := range events {
					events[i] = rapport.Event{MessageID: fmt.Sprintf("w%d-%d-%d", w, b, i), Type: rapport.EventPage, AnonymousID: "a"}
				}
				if err := l.Append(ctx, events); err != nil {
					t.Errorf("writer %d: Append: %v", w, err)
					return
				}
				for _, e := range events {
					seqs[w][e.Seq] = e.MessageID
				}
			}
		})
	}
	wg.Wait()
	got, err := logs[0].Read(ctx, 0, 2*batches*size+1)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if len(got) != 2*batches*size {
		t.Fatalf("read %d events, want %d", len(got), 2*batches*size)
	}
	for _, e := range got {
		if seqs[0][e.Seq] != e.MessageID && seqs[1][e.Seq] != e.MessageID {
			t.Fatalf("Seq %d holds %q, but no writer was told so", e.Seq, e.MessageID)
		}
	}
}

// TestLogAndStoreFilesApart checks that a log file is refused as a store
// and a store file as a log: the CLI opens two files side by side, and a
// swapped path must not add the other's tables.
func TestLogAndStoreFilesApart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	logPath, storePath := filepath.Join(dir, "log.db"), filepath.Join(dir, "rapport.db")
	openLog(t, logPath).Close()
	open(t, storePath).Close()
	if _, err := sqlite.Open(ctx, logPath); err == nil || !strings.Contains(err.Error(), "log/0001_init.sql") {
		t.Errorf("Open of a log file: error %v, want one naming the log's migration", err)
	}
	if _, err := sqlite.OpenLog(ctx, storePath); err == nil || !strings.Contains(err.Error(), `"0001_init.sql"`) {
		t.Errorf("OpenLog of a store file: error %v, want one naming the store's migration", err)
	}
}

func TestLogRefuseNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log.db")
	openLog(t, path).Close()
	if err := recordMigration(path, "log/9999_from_the_future.sql"); err != nil {
		t.Fatalf("record migration: %v", err)
	}
	_, err := sqlite.OpenLog(context.Background(), path)
	if err == nil || !strings.Contains(err.Error(), "9999_from_the_future.sql") {
		t.Fatalf("OpenLog of a newer schema: error %v, want one naming the unknown migration", err)
	}
}

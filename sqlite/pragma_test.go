package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// TestPragmas checks that every connection, writer and readers, of the
// store and of the log runs with the durability settings: WAL and
// synchronous=FULL.
func TestPragmas(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "rapport.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	l, err := OpenLog(ctx, filepath.Join(t.TempDir(), "log.db"))
	if err != nil {
		t.Fatalf("OpenLog: %v", err)
	}
	defer l.Close()
	dbs := map[string]*sql.DB{"store write": s.write, "store read": s.read, "log write": l.write, "log read": l.read}
	for name, db := range dbs {
		for pragma, want := range map[string]string{"journal_mode": "wal", "synchronous": "2", "busy_timeout": "5000"} {
			var got string
			if err := db.QueryRow("PRAGMA " + pragma).Scan(&got); err != nil {
				t.Fatalf("%s PRAGMA %s: %v", name, pragma, err)
			}
			if got != want {
				t.Errorf("%s PRAGMA %s = %q, want %q", name, pragma, got, want)
			}
		}
	}
	var pageSize int
	if err := l.read.QueryRow("PRAGMA page_size").Scan(&pageSize); err != nil || pageSize != 16384 {
		t.Errorf("log PRAGMA page_size = %d, %v; want 16384", pageSize, err)
	}
}

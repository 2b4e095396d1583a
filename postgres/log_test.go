package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/postgres"
	"github.com/rapportdev/rapport/storetest"
)

func TestLogConformance(t *testing.T) {
	testURL(t)
	storetest.RunLog(t, func(t *testing.T) (rapport.EventLog, func() rapport.EventLog) {
		dsn := freshSchema(t)
		return openLog(t, dsn), func() rapport.EventLog { return openLog(t, dsn) }
	})
}

// openLog opens the log at dsn and fails the test on error.
func openLog(t testing.TB, dsn string) *postgres.Log {
	t.Helper()
	l, err := postgres.OpenLog(context.Background(), dsn)
	if err != nil {
		t.Fatalf("OpenLog: %v", err)
	}
	return l
}

// TestLogAndStoreShareSchema opens the log and the store on one schema in
// both orders: each applies its own migrations and accepts the other's.
func TestLogAndStoreShareSchema(t *testing.T) {
	ctx := context.Background()
	for _, logFirst := range []bool{true, false} {
		dsn := freshSchema(t)
		if logFirst {
			openLog(t, dsn).Close()
		}
		s, err := postgres.Open(ctx, dsn)
		if err != nil {
			t.Fatalf("Open (log first: %v): %v", logFirst, err)
		}
		s.Close()
		l := openLog(t, dsn)
		if err := l.Append(ctx, []rapport.Event{{MessageID: "m", Type: rapport.EventPage, AnonymousID: "a"}}); err != nil {
			t.Fatalf("Append (log first: %v): %v", logFirst, err)
		}
		l.Close()
	}
}

func TestLogRefuseNewerSchema(t *testing.T) {
	ctx := context.Background()
	dsn := freshSchema(t)
	openLog(t, dsn).Close()
	exec(t, dsn, `INSERT INTO schema_migrations (name) VALUES ('log/9999_from_the_future.sql')`)
	_, err := postgres.OpenLog(ctx, dsn)
	if err == nil || !strings.Contains(err.Error(), "9999_from_the_future.sql") {
		t.Fatalf("OpenLog of a newer schema: error %v, want one naming the unknown migration", err)
	}
	// The store's own migrations are all known: it still opens.
	s, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("Open next to a newer log: %v", err)
	}
	s.Close()
}

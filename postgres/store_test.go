package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/postgres"
	"github.com/rapportdev/rapport/storetest"
)

func TestConformance(t *testing.T) {
	testURL(t)
	storetest.Run(t, func(t *testing.T) rapport.Store { return openFresh(t) })
}

// testURL returns the server named by RAPPORT_TEST_POSTGRES, or skips.
func testURL(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("RAPPORT_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("RAPPORT_TEST_POSTGRES is not set; set it to a PostgreSQL URL (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable) to run the PostgreSQL tests")
	}
	return dsn
}

// freshSchema creates an empty schema, dropped when the test ends, and
// returns a URL that puts the store in it. Each store gets its own, so
// tests and packages running in parallel never meet.
func freshSchema(t testing.TB) string {
	t.Helper()
	base := testURL(t)
	var b [6]byte
	rand.Read(b[:])
	schema := "rapport_test_" + hex.EncodeToString(b[:])
	exec(t, base, `CREATE SCHEMA `+schema)
	t.Cleanup(func() { exec(t, base, `DROP SCHEMA `+schema+` CASCADE`) })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse RAPPORT_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// exec runs one statement on its own connection.
func exec(t testing.TB, dsn, sql string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// openFresh opens a store in a fresh schema.
func openFresh(t testing.TB) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), freshSchema(t))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

func TestReopen(t *testing.T) {
	ctx := context.Background()
	dsn := freshSchema(t)
	s, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if err := s.ApplyChanges(ctx, rapport.Changes{Checkpoint: 3}); err != nil {
		t.Fatalf("ApplyChanges: %v", err)
	}
	s.Close()
	s, err = postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	if cp, err := s.Checkpoint(ctx); err != nil || cp != 3 {
		t.Fatalf("Checkpoint after reopen = %d, %v; want 3", cp, err)
	}
}

func TestRefuseNewerSchema(t *testing.T) {
	ctx := context.Background()
	dsn := freshSchema(t)
	s, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	s.Close()
	exec(t, dsn, `INSERT INTO schema_migrations (name) VALUES ('9999_from_the_future.sql')`)
	_, err = postgres.Open(ctx, dsn)
	if err == nil || !strings.Contains(err.Error(), "9999_from_the_future.sql") {
		t.Fatalf("Open of a newer schema: error %v, want one naming the unknown migration", err)
	}
}

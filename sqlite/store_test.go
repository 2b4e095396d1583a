package sqlite_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/sqlite"
	"github.com/rapportdev/rapport/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) rapport.Store {
		return open(t, filepath.Join(t.TempDir(), "rapport.db"))
	})
}

// open opens the store at path and fails the test on error.
func open(t testing.TB, path string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	return s
}

func TestReopen(t *testing.T) {
	ctx := context.Background()
	// A parent directory that does not exist yet, and a name with
	// characters that mean something in a URI.
	path := filepath.Join(t.TempDir(), "new dir", "rapport?#%.db")
	s := open(t, path)
	ts := time.Date(2025, 1, 2, 3, 4, 5, 6, time.UTC)
	events := []rapport.Event{{Seq: 1, MessageID: "m1", Type: rapport.EventPage, AnonymousID: "a1", Timestamp: ts, ReceivedAt: ts}}
	err := s.ApplyChanges(ctx, rapport.Changes{
		Events:     events,
		Profiles:   []*rapport.Profile{{ID: "p1", Kind: rapport.ProfilePerson, CreatedAt: ts}},
		Identities: []rapport.IdentityLink{{Identity: rapport.Identity{Kind: rapport.IdentityAnonymousID, Value: "a1"}, ProfileID: "p1"}},
		Checkpoint: events[0].Seq,
	})
	if err != nil {
		t.Fatalf("ApplyChanges: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	s = open(t, path)
	defer s.Close()
	got, err := s.ReadEvents(ctx, 0, 10)
	if err != nil || len(got) != 1 || !got[0].Timestamp.Equal(ts) {
		t.Fatalf("ReadEvents after reopen = %+v, %v; want event m1", got, err)
	}
	if cp, err := s.Checkpoint(ctx); err != nil || cp != events[0].Seq {
		t.Fatalf("Checkpoint after reopen = %d, %v; want %d", cp, err, events[0].Seq)
	}
	p, err := s.FindProfileByID(ctx, "p1")
	if err != nil || len(p.Identities) != 1 || !p.CreatedAt.Equal(ts) {
		t.Fatalf("FindProfileByID after reopen = %+v, %v", p, err)
	}
}

func TestRefuseNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rapport.db")
	s := open(t, path)
	s.Close()
	if err := recordMigration(path, "9999_from_the_future.sql"); err != nil {
		t.Fatalf("record migration: %v", err)
	}
	_, err := sqlite.Open(ctx, path)
	if err == nil || !strings.Contains(err.Error(), "9999_from_the_future.sql") {
		t.Fatalf("Open of a newer schema: error %v, want one naming the unknown migration", err)
	}
}

package sqlite_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/sqlite"
)

// TestEraseLeavesNoBytes erases a person and then reads the database
// files as bytes: nothing of what was held about them may remain, not in
// free pages and not in the write-ahead log.
func TestEraseLeavesNoBytes(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rapport.db")
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	const marker = "erase-me-7d1f0c"
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	ev := rapport.Event{Seq: 1, MessageID: "m-" + marker, Type: rapport.EventIdentify, UserID: "u-" + marker,
		Traits: map[string]any{"email": marker + "@example.com"}, Timestamp: at, ReceivedAt: at}
	p := &rapport.Profile{ID: "p1", Kind: rapport.ProfilePerson, Traits: map[string]any{"email": marker + "@example.com"},
		CreatedAt: at, UpdatedAt: at}
	changes := rapport.Changes{Events: []rapport.Event{ev}, Profiles: []*rapport.Profile{p},
		Identities: []rapport.IdentityLink{{Identity: rapport.Identity{Kind: rapport.IdentityUserID, Value: "u-" + marker}, ProfileID: "p1"}},
		Orders:     []rapport.Order{{ProfileID: "p1", OrderID: "o-" + marker, MessageID: ev.MessageID, At: at, Revenue: 5}},
		Checkpoint: 1}
	if err := st.ApplyChanges(ctx, changes); err != nil {
		t.Fatal(err)
	}
	if _, err := st.DeleteProfile(ctx, "p1"); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(f)
		if os.IsNotExist(err) {
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		if i := bytes.Index(b, []byte(marker)); i >= 0 {
			t.Errorf("%s still holds %q at byte %d after the erasure", filepath.Base(f), marker, i)
		}
	}
}

package sqlite_test

import (
	"context"
	"database/sql"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/rapportdev/rapport/sqlite"
)

// TestMigrationMovesOfferRowsOfEarlierMerges opens a store as it was
// before 0010 (offer rows left under profiles merged away, as merges did
// not move them then) and checks the migration moves them to the end of
// each merge chain.
func TestMigrationMovesOfferRowsOfEarlierMerges(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rapport.db")
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		// Back to before 0010.
		`DELETE FROM schema_migrations WHERE name = '0010_offer_rollups.sql'`,
		`DROP TABLE offer_daily`,
		`DROP INDEX offer_decisions_at`,
		// p_a was merged into p_b, then p_b into p_c; p_x into p_y.
		`INSERT INTO merges (from_id, into_id, at, reason, message_id) VALUES
			('p_a', 'p_b', 1, 'identify', 'm1'), ('p_b', 'p_c', 2, 'identify', 'm2'), ('p_x', 'p_y', 3, 'alias', 'm3')`,
		`INSERT INTO offer_decisions (id, profile_id, at, body) VALUES
			('d1', 'p_a', 1, '{}'), ('d2', 'p_b', 2, '{}'), ('d3', 'p_x', 3, '{}'), ('d4', 'p_z', 4, '{}')`,
		`INSERT INTO offer_outcomes (decision_id, offer_id, type, profile_id, channel, arm, control, revenue, at, due)
			VALUES ('d1', 'o', 'shown', 'p_a', 'web', 'all', 0, 0, 1, 0), ('d4', 'o', 'shown', 'p_z', 'web', 'all', 0, 0, 4, 0)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	st, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatalf("migrate: %v", err)
	}
	defer st.Close()
	want := map[string]string{"d1": "p_c", "d2": "p_c", "d3": "p_y", "d4": "p_z"}
	for id, profile := range want {
		var got string
		if err := db.QueryRow(`SELECT profile_id FROM offer_decisions WHERE id = ?`, id).Scan(&got); err != nil || got != profile {
			t.Errorf("decision %s: profile %q (%v), want %q", id, got, err, profile)
		}
	}
	rows, err := db.Query(`SELECT decision_id, profile_id FROM offer_outcomes ORDER BY decision_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var d, p string
		if err := rows.Scan(&d, &p); err != nil {
			t.Fatal(err)
		}
		if p != want[d] {
			t.Errorf("outcome of %s: profile %q, want %q", d, p, want[d])
		}
	}
}

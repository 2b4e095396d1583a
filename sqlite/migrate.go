package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"path"
	"slices"
	"time"

	"github.com/rapportdev/rapport/storecodec"
)

// migrationFS holds both migration sets: the store's in migrations/, the
// log's in migrations/log/. Each database file holds one set.
//
//go:embed migrations/*.sql migrations/log/*.sql
var migrationFS embed.FS

// Migration sets, by directory under migrations/. A migration is recorded
// under its path relative to migrations/ ("0001_init.sql",
// "log/0001_init.sql"), so a store file opened as a log, or the other way
// round, is refused instead of having the wrong tables added to it.
const (
	storeMigrations = "."
	logMigrations   = "log"
)

// migrate applies the embedded migrations of set not yet recorded in
// schema_migrations, in name order, one transaction each. It fails when
// the database records a migration the set does not have: one written by
// a newer binary, or one of the other set.
func migrate(ctx context.Context, db *sql.DB, set string) error {
	names, err := storecodec.MigrationNames(migrationFS, set)
	if err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	if err := checkUnknown(ctx, db, names); err != nil {
		return err
	}
	for _, name := range names {
		if err := migrateOne(ctx, db, name); err != nil {
			return err
		}
	}
	return nil
}

// checkUnknown refuses a schema this binary did not write.
func checkUnknown(ctx context.Context, db *sql.DB, known []string) error {
	rows, err := db.QueryContext(ctx, `SELECT name FROM schema_migrations ORDER BY name`)
	if err != nil {
		return fmt.Errorf("read schema_migrations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return fmt.Errorf("read schema_migrations: %w", err)
		}
		if !slices.Contains(known, name) {
			return fmt.Errorf("database schema has migration %q that this binary does not know: "+
				"it was written by a newer rapport (upgrade rapport), or it is the other kind of rapport "+
				"database (the event log and the store are separate files)", name)
		}
	}
	return rows.Err()
}

// migrateOne applies one migration unless it is recorded already. The
// check runs inside the write transaction, so two processes opening the
// same file at once do not both apply it.
func migrateOne(ctx context.Context, db *sql.DB, name string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = ?`, name).Scan(&n); err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	if n > 0 {
		return nil
	}
	body, err := migrationFS.ReadFile(path.Join("migrations", name))
	if err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`,
		name, time.Now().UnixNano()); err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	return nil
}

package postgres

import (
	"context"
	"embed"
	"fmt"
	"path"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/rapportdev/rapport/storecodec"
)

// migrationFS holds both migration sets: the store's in migrations/, the
// log's in migrations/log/. Both live in the same schema and record
// themselves in its one schema_migrations table.
//
//go:embed migrations/*.sql migrations/log/*.sql
var migrationFS embed.FS

// Migration sets, by directory under migrations/. A migration is recorded
// under its path relative to migrations/ ("0001_init.sql",
// "log/0001_init.sql"), which tells the sets apart: the store and the log
// can each be opened first, or alone, and each checks only its own.
const (
	storeMigrations = "."
	logMigrations   = "log"
)

// lockSQL takes the schema's migration lock until the transaction ends.
const lockSQL = `SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.rapport_migrate'))`

// migrate applies the embedded migrations of set not yet recorded in
// schema_migrations, in name order, one transaction each. Each holds an
// advisory lock for the schema, so processes starting together apply a
// migration once. It fails when the database records a migration of the
// set this binary does not have.
func migrate(ctx context.Context, pool *pgxpool.Pool, set string) error {
	names, err := storecodec.MigrationNames(migrationFS, set)
	if err != nil {
		return err
	}
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, lockSQL+`;
			CREATE TABLE IF NOT EXISTS schema_migrations (
				name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`)
		return err
	})
	if err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	if err := checkUnknown(ctx, pool, set, names); err != nil {
		return err
	}
	for _, name := range names {
		if err := migrateOne(ctx, pool, name); err != nil {
			return err
		}
	}
	return nil
}

// checkUnknown refuses a schema whose migrations of set include one this
// binary does not have: it was written by a newer binary.
func checkUnknown(ctx context.Context, pool *pgxpool.Pool, set string, known []string) error {
	rows, _ := pool.Query(ctx, `SELECT name FROM schema_migrations ORDER BY name`)
	applied, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("read schema_migrations: %w", err)
	}
	for _, name := range applied {
		if path.Dir(name) == set && !slices.Contains(known, name) {
			return fmt.Errorf("database schema has migration %q that this binary does not know: it was written by a newer rapport; upgrade rapport", name)
		}
	}
	return nil
}

// migrateOne applies one migration unless it is recorded already.
func migrateOne(ctx context.Context, pool *pgxpool.Pool, name string) error {
	body, err := migrationFS.ReadFile(path.Join("migrations", name))
	if err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, lockSQL); err != nil {
			return err
		}
		var done bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE name = $1)`, name).Scan(&done); err != nil || done {
			return err
		}
		if _, err := tx.Exec(ctx, string(body)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (name) VALUES ($1)`, name)
		return err
	})
	if err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	return nil
}

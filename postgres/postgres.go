// Package postgres implements rapport.Store and rapport.EventLog on
// PostgreSQL through pgx, for the scale-out deployment. It behaves as
// package sqlite does: both pass the storetest conformance suites. The
// log (table event_log) and the store share one schema.
//
// The store and the log work in the first schema of the connection's
// search_path, so one database can hold several: pass ?search_path=name
// in the URL.
package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/rapportdev/rapport"
)

// Store is a rapport.Store backed by a PostgreSQL connection pool.
type Store struct {
	pool *pgxpool.Pool
}

var _ rapport.Store = (*Store)(nil)

// Open connects to the database at url (a postgres:// URL or key=value
// DSN; runtime parameters such as search_path are passed through) and
// applies pending migrations. It refuses a schema newer than this binary.
func Open(ctx context.Context, url string) (*Store, error) {
	pool, err := connect(ctx, url, storeMigrations)
	if err != nil {
		return nil, err
	}
	return &Store{pool: pool}, nil
}

// connect opens a pool on url and applies the pending migrations of set.
func connect(ctx context.Context, url, set string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse postgres url: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect postgres: %w", err)
	}
	if err := migrate(ctx, pool, set); err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
}

// Close closes the connection pool, waiting for connections in use.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

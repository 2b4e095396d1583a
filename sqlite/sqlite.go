// Package sqlite implements rapport.Store and rapport.EventLog on
// embedded SQLite databases (the pure-Go modernc.org/sqlite driver), the
// default single-binary deployment. The log and the store are separate
// files, so each has its own write lock: appending to the log never waits
// for the processor's transactions on the store.
//
// Every commit is durable when it returns: the database runs in WAL mode
// with synchronous=FULL, so the WAL is fsynced on each commit. Writes go
// through one connection, because SQLite has one writer and letting pooled
// connections race for the lock only produces SQLITE_BUSY; reads use a
// separate pool and run concurrently with the writer.
package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"

	"github.com/rapportdev/rapport"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Store is a rapport.Store backed by one SQLite database file.
type Store struct {
	// write has a single connection; every write transaction uses it.
	write *sql.DB
	// read is a pool of query-only connections.
	read *sql.DB
}

var _ rapport.Store = (*Store)(nil)

// Open opens the database file at path, creating it and its parent
// directory when missing, and applies pending migrations. It refuses a
// database whose schema is newer than this binary.
func Open(ctx context.Context, path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("create database directory: %w", err)
	}
	write, err := openDB(path, "_txlock=immediate", 1)
	if err != nil {
		return nil, err
	}
	s := &Store{write: write}
	if err := migrate(ctx, write, storeMigrations); err != nil {
		write.Close()
		return nil, err
	}
	if s.read, err = openDB(path, "_pragma=query_only(1)", max(4, runtime.NumCPU())); err != nil {
		write.Close()
		return nil, err
	}
	return s, nil
}

// pragmas are set on every connection: durable commits (WAL, fsynced
// on commit), waiting for a second process's lock rather than failing.
// The driver runs _journal_mode after every _pragma, so a page_size
// pragma still applies to a new file.
const pragmas = "_pragma=busy_timeout(5000)&_journal_mode=WAL&_pragma=synchronous(FULL)&_pragma=temp_store(MEMORY)"

// openDB opens a pool of at most conns connections with the pragmas every
// connection needs, plus extra DSN parameters.
func openDB(path, extra string, conns int) (*sql.DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("database path: %w", err)
	}
	// Escape the path: SQLite reads the DSN as a URI, where ?, # and %
	// mean something.
	dsn := "file:" + (&url.URL{Path: abs}).EscapedPath() + "?" + pragmas + "&" + extra
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxLifetime(0)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return db, nil
}

// Close closes both connection pools.
func (s *Store) Close() error {
	var errRead error
	if s.read != nil {
		errRead = s.read.Close()
	}
	if err := s.write.Close(); err != nil {
		return fmt.Errorf("close sqlite: %w", err)
	}
	if errRead != nil {
		return fmt.Errorf("close sqlite: %w", errRead)
	}
	return nil
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/postgres"
	"github.com/rapportdev/rapport/sqlite"
)

// storeFlags selects the storage backend, the same way for every command.
type storeFlags struct {
	data     string
	postgres string
}

func (f *storeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.data, "data", "./rapport-data", "directory of the embedded SQLite store")
	fs.StringVar(&f.postgres, "postgres", os.Getenv("RAPPORT_POSTGRES"), "PostgreSQL URL; selects PostgreSQL instead of the embedded store (env RAPPORT_POSTGRES)")
}

// describe names the backend for logs.
func (f *storeFlags) describe() string {
	if f.postgres != "" {
		return "postgres"
	}
	return "sqlite " + f.dbPath()
}

func (f *storeFlags) dbPath() string  { return filepath.Join(f.data, "rapport.db") }
func (f *storeFlags) logPath() string { return filepath.Join(f.data, "log.db") }

// backend is an open store and event log.
type backend struct {
	Store rapport.Store
	Log   rapport.EventLog
}

// Close closes the log and the store.
func (b *backend) Close() error {
	return errors.Join(b.Log.Close(), b.Store.Close())
}

// open opens the selected store and its event log: both in PostgreSQL, or
// two SQLite files in the data directory (the log in a file of its own so
// that acknowledging events never waits for the processor's writes).
func (f *storeFlags) open(ctx context.Context) (*backend, error) {
	if f.postgres != "" {
		st, err := postgres.Open(ctx, f.postgres)
		if err != nil {
			return nil, fmt.Errorf("open postgres store: %w", err)
		}
		log, err := postgres.OpenLog(ctx, f.postgres)
		if err != nil {
			st.Close()
			return nil, fmt.Errorf("open postgres event log: %w", err)
		}
		return &backend{Store: st, Log: log}, nil
	}
	st, err := sqlite.Open(ctx, f.dbPath())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", f.dbPath(), err)
	}
	log, err := sqlite.OpenLog(ctx, f.logPath())
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("open %s: %w", f.logPath(), err)
	}
	return &backend{Store: st, Log: log}, nil
}

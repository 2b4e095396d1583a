package main

import (
	"context"
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

func (f *storeFlags) dbPath() string { return filepath.Join(f.data, "rapport.db") }

// open opens the selected store.
func (f *storeFlags) open(ctx context.Context) (rapport.Store, error) {
	if f.postgres != "" {
		st, err := postgres.Open(ctx, f.postgres)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		return st, nil
	}
	st, err := sqlite.Open(ctx, f.dbPath())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", f.dbPath(), err)
	}
	return st, nil
}

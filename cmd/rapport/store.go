package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/nats"
	"github.com/rapportdev/rapport/postgres"
	"github.com/rapportdev/rapport/sqlite"
)

// storeFlags selects the storage backend, the same way for every command.
type storeFlags struct {
	data       string
	postgres   string
	nats       string
	natsStream string
	// partitions, when above zero, partitions the NATS log (serve's
	// --partitions): events are routed to partitions at append.
	partitions int
}

func (f *storeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.data, "data", "./rapport-data", "directory of the embedded SQLite store")
	fs.StringVar(&f.postgres, "postgres", os.Getenv("RAPPORT_POSTGRES"), "PostgreSQL URL; selects PostgreSQL instead of the embedded store (env RAPPORT_POSTGRES)")
	fs.StringVar(&f.nats, "nats", os.Getenv("RAPPORT_NATS"), "NATS URL; keeps the event log in a JetStream stream instead of the store's (env RAPPORT_NATS)")
	fs.StringVar(&f.natsStream, "nats-stream", envOr("RAPPORT_NATS_STREAM", "RAPPORT_EVENTS"), "JetStream stream of the event log (env RAPPORT_NATS_STREAM)")
}

// describe names the backend for logs.
func (f *storeFlags) describe() string {
	d := "sqlite " + f.dbPath()
	if f.postgres != "" {
		d = "postgres"
	}
	if f.nats != "" {
		d += ", log in nats stream " + f.natsStream
	}
	return d
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
	b, err := f.openStore(ctx)
	if err != nil || f.nats == "" {
		return b, err
	}
	// The store's own log stays (it is part of its schema) but unused.
	b.Log.Close()
	opts := nats.Options{Stream: f.natsStream, Subject: "rapport.events." + strings.ToLower(f.natsStream)}
	if pg, ok := b.Store.(*postgres.Store); ok && f.partitions == 0 {
		// A process that would read or write the log unpartitioned.
		if n, err := pg.Partitions(ctx); err != nil || n > 0 {
			b.Close()
			if err == nil {
				err = fmt.Errorf("this store's log is partitioned (%d partitions): run serve with --partitions %d and --role ingest or worker", n, n)
			}
			return nil, err
		}
	}
	if f.partitions > 0 {
		pg, ok := b.Store.(*postgres.Store)
		if !ok {
			b.Close()
			return nil, fmt.Errorf("--partitions needs --postgres")
		}
		if err := pg.ConfigurePartitions(ctx, f.partitions); err != nil {
			b.Close()
			return nil, fmt.Errorf("partitions: %w", err)
		}
		opts.Partitions, opts.Route = f.partitions, routeByOwner(pg, f.partitions)
	}
	if b.Log, err = nats.OpenLog(ctx, f.nats, opts); err != nil {
		b.Store.Close()
		return nil, fmt.Errorf("open nats event log: %w", err)
	}
	return b, nil
}

// openStore opens the selected store with its own event log.
func (f *storeFlags) openStore(ctx context.Context) (*backend, error) {
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

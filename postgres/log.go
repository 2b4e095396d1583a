package postgres

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/rapportdev/rapport"
)

// Log is a rapport.EventLog in the event_log table, in the same schema as
// the store. Several processes may append to it at once.
type Log struct {
	pool *pgxpool.Pool
}

var _ rapport.EventLog = (*Log)(nil)

// OpenLog connects to the database at url (as Open does) and applies the
// log's pending migrations; it works whether or not the store has been
// opened on the schema. It refuses a log schema newer than this binary.
func OpenLog(ctx context.Context, url string) (*Log, error) {
	pool, err := connect(ctx, url, logMigrations)
	if err != nil {
		return nil, err
	}
	return &Log{pool: pool}, nil
}

// Close closes the connection pool, waiting for connections in use.
func (l *Log) Close() error {
	l.pool.Close()
	return nil
}

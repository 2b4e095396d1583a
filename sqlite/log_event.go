package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
)

// logChunk is how many events one INSERT into the log carries: one
// parameter each, far under SQLite's limit of 32766, and few enough that
// the statement compiles quickly.
const logChunk = 500

// insertLogSQL returns the INSERT of n bodies.
func insertLogSQL(n int) string {
	var b strings.Builder
	b.Grow(len("INSERT INTO log (body) VALUES ") + 4*n)
	b.WriteString("INSERT INTO log (body) VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?)")
	}
	return b.String()
}

// fullLogChunkSQL is the statement for a full chunk, built once.
var fullLogChunkSQL = insertLogSQL(logChunk)

// Append stores events in one durable transaction and sets each one's
// Seq. The bodies are encoded before the write lock is taken, so other
// appenders wait only for the insert and the fsync.
func (l *Log) Append(ctx context.Context, events []rapport.Event) error {
	if len(events) == 0 {
		return nil
	}
	bodies, err := storecodec.EncodeEvents(events, storecodec.Parallel)
	if err != nil {
		return fmt.Errorf("append: %w", err)
	}
	seqs := make([]int64, len(events))
	tx, err := l.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("append: %w", err)
	}
	defer tx.Rollback()
	for lo := 0; lo < len(events); lo += logChunk {
		hi := min(lo+logChunk, len(events))
		if err := insertLogChunk(ctx, tx, bodies[lo:hi], seqs[lo:hi]); err != nil {
			return fmt.Errorf("append: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("append: commit: %w", err)
	}
	for i := range events {
		events[i].Seq = seqs[i]
	}
	return nil
}

// insertLogChunk inserts bodies and writes their seqs into seqs.
//
// The seqs are last_insert_rowid()-n+1 ... last_insert_rowid(): the
// transaction holds the file's only write lock (BEGIN IMMEDIATE), so no
// other row is inserted meanwhile; the rows of one INSERT ... VALUES are
// inserted in order; and AUTOINCREMENT gives each row one more than the
// largest seq the table ever held, or fails (SQLITE_FULL) rather than
// wrap. So the rows are consecutive, and this saves reading back one
// RETURNING row per event.
func insertLogChunk(ctx context.Context, tx *sql.Tx, bodies [][]byte, seqs []int64) error {
	query := fullLogChunkSQL
	if len(bodies) != logChunk {
		query = insertLogSQL(len(bodies))
	}
	args := make([]any, len(bodies))
	for i, b := range bodies {
		args[i] = b
	}
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	last, err := res.LastInsertId()
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n != int64(len(bodies)) {
		return fmt.Errorf("inserted %d rows, want %d", n, len(bodies))
	}
	first := last - int64(len(bodies)) + 1
	for i := range seqs {
		seqs[i] = first + int64(i)
	}
	return nil
}

// Read returns up to limit events with Seq greater than after, in Seq
// order. A limit of 0 or less reads up to 1000.
func (l *Log) Read(ctx context.Context, after int64, limit int) ([]rapport.Event, error) {
	if limit <= 0 {
		limit = 1000
	}
	rows, err := l.read.QueryContext(ctx, `SELECT seq, body FROM log WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("read log: %w", err)
	}
	defer rows.Close()
	seqs := make([]int64, 0, limit)
	bodies := make([][]byte, 0, limit)
	for rows.Next() {
		var seq int64
		var body []byte
		if err := rows.Scan(&seq, &body); err != nil {
			return nil, fmt.Errorf("read log: %w", err)
		}
		seqs, bodies = append(seqs, seq), append(bodies, body)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read log: %w", err)
	}
	events, err := storecodec.DecodeEvents(seqs, bodies, storecodec.Serial)
	if err != nil {
		return nil, fmt.Errorf("read log: %w", err)
	}
	return events, nil
}

// trimChunk is how many rows one Trim statement deletes: each is its own
// short transaction, so appends are never held up for long.
const trimChunk = 10000

// Trim deletes the events with Seq up to and including upTo, a chunk per
// transaction. AUTOINCREMENT keeps their seqs from being reused.
func (l *Log) Trim(ctx context.Context, upTo int64) error {
	for {
		res, err := l.write.ExecContext(ctx, `DELETE FROM log WHERE seq IN
			(SELECT seq FROM log WHERE seq <= ? ORDER BY seq LIMIT ?)`, upTo, trimChunk)
		if err != nil {
			return fmt.Errorf("trim log to %d: %w", upTo, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("trim log to %d: %w", upTo, err)
		}
		if n < trimChunk {
			return nil
		}
	}
}

package postgres

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
)

// appendLockSQL serializes appends to the schema's log. An identity
// column hands out values at insert but transactions commit in any
// order, so without it a reader could see seq 12 committed before 11 and,
// having moved its checkpoint past 12, never read 11. Under the lock seq
// order is commit order. The lock is released at commit, after the rows
// are visible.
const appendLockSQL = `SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.rapport_event_log'))`

// appendLogSQL inserts a batch of bodies. The subquery's ORDER BY feeds
// the rows to the insert in slice order, so the identity values are
// handed out in that order.
const appendLogSQL = `INSERT INTO event_log (body)
	SELECT b::json FROM unnest($1::text[]) WITH ORDINALITY AS t(b, ord) ORDER BY ord
	RETURNING seq`

// Append stores events in one transaction and sets each one's Seq. The
// bodies are encoded before the append lock is taken.
func (l *Log) Append(ctx context.Context, events []rapport.Event) error {
	if len(events) == 0 {
		return nil
	}
	bodies, err := storableBodies(events, storecodec.Parallel)
	if err != nil {
		return fmt.Errorf("append: %w", err)
	}
	var seqs []int64
	err = pgx.BeginFunc(ctx, l.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, appendLockSQL); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, appendLogSQL, bodies)
		seqs, err = pgx.CollectRows(rows, pgx.RowTo[int64])
		return err
	})
	if err != nil {
		return fmt.Errorf("append: %w", err)
	}
	if len(seqs) != len(events) {
		return fmt.Errorf("append: inserted %d rows, want %d", len(seqs), len(events))
	}
	// RETURNING promises no order; the seqs were handed out in slice
	// order, so sorted they match the events.
	slices.Sort(seqs)
	for i := range events {
		events[i].Seq = seqs[i]
	}
	return nil
}

// Read returns up to limit events with Seq greater than after, in Seq
// order. A limit of 0 or less reads up to 1000.
func (l *Log) Read(ctx context.Context, after int64, limit int) ([]rapport.Event, error) {
	if limit <= 0 {
		limit = 1000
	}
	rows, _ := l.pool.Query(ctx, `SELECT seq, body FROM event_log WHERE seq > $1 ORDER BY seq LIMIT $2`, after, limit)
	seqs := make([]int64, 0, limit)
	bodies := make([][]byte, 0, limit)
	var seq int64
	var body []byte
	_, err := pgx.ForEachRow(rows, []any{&seq, &body}, func() error {
		seqs, bodies = append(seqs, seq), append(bodies, body)
		body = nil // ForEachRow scans into the same slice otherwise
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read log: %w", err)
	}
	events, err := storecodec.DecodeEvents(seqs, bodies, storecodec.Serial)
	if err != nil {
		return nil, fmt.Errorf("read log: %w", err)
	}
	return events, nil
}

// trimChunk is how many rows one Trim statement deletes: each is its own
// short transaction.
const trimChunk = 10000

// Trim deletes the events with Seq up to and including upTo, a chunk per
// transaction. It takes no append lock: those events are committed
// already (the caller has read them).
func (l *Log) Trim(ctx context.Context, upTo int64) error {
	for {
		tag, err := l.pool.Exec(ctx, `DELETE FROM event_log WHERE seq IN
			(SELECT seq FROM event_log WHERE seq <= $1 ORDER BY seq LIMIT $2)`, upTo, trimChunk)
		if err != nil {
			return fmt.Errorf("trim log to %d: %w", upTo, err)
		}
		if tag.RowsAffected() < trimChunk {
			return nil
		}
	}
}

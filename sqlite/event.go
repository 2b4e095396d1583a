package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
)

// eventChunk is how many events one INSERT statement carries: 9
// parameters each stays well under SQLite's 32766, and one statement per
// few hundred rows makes the per-call overhead of database/sql negligible.
const eventChunk = 256

// insertEventsSQL returns the INSERT for n events. A row whose seq or
// messageId is stored already is skipped: the log may hold a retried
// message twice, and a replayed batch must not fail.
func insertEventsSQL(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO events
	(seq, message_id, type, user_id, anonymous_id, source_id, timestamp, received_at, body) VALUES `)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,?,?,?,?,?,?,?)")
	}
	b.WriteString(` ON CONFLICT DO NOTHING`)
	return b.String()
}

// fullChunkSQL is the statement for a full chunk, built once.
var fullChunkSQL = insertEventsSQL(eventChunk)

// insertEvents stores events with the bodies encoded for them, skipping
// those whose seq or messageId is stored already.
func insertEvents(ctx context.Context, tx *sql.Tx, events []rapport.Event, bodies [][]byte) error {
	for lo := 0; lo < len(events); lo += eventChunk {
		hi := min(lo+eventChunk, len(events))
		query := fullChunkSQL
		if hi-lo != eventChunk {
			query = insertEventsSQL(hi - lo)
		}
		args := make([]any, 0, 9*(hi-lo))
		for i := lo; i < hi; i++ {
			e := &events[i]
			// The body goes in as text, so the column reads as JSON in the
			// sqlite3 shell.
			args = append(args, e.Seq, e.MessageID, string(e.Type), e.UserID, e.AnonymousID, e.SourceID,
				storecodec.Nanos(e.Timestamp), storecodec.Nanos(e.ReceivedAt), string(bodies[i]))
		}
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return fmt.Errorf("store events: %w", err)
		}
	}
	return nil
}

// ReadEvents returns up to limit stored events with Seq greater than
// after, in Seq order. A limit of 0 or less reads up to 1000.
func (s *Store) ReadEvents(ctx context.Context, after int64, limit int) ([]rapport.Event, error) {
	if limit <= 0 {
		limit = 1000
	}
	rows, err := s.read.QueryContext(ctx,
		`SELECT seq, body FROM events WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("read events: %w", err)
	}
	return scanEvents(rows)
}

// messageIDChunk is how many messageIds one lookup passes.
const messageIDChunk = 500

// FindMessageIDs returns which of the given messageIds are stored.
func (s *Store) FindMessageIDs(ctx context.Context, ids []string) (map[string]bool, error) {
	found := make(map[string]bool)
	for lo := 0; lo < len(ids); lo += messageIDChunk {
		chunk := ids[lo:min(lo+messageIDChunk, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := s.read.QueryContext(ctx, `SELECT message_id FROM events WHERE message_id IN (?`+
			strings.Repeat(",?", len(chunk)-1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("find message ids: %w", err)
		}
		if err := scanMessageIDs(rows, found); err != nil {
			return nil, fmt.Errorf("find message ids: %w", err)
		}
	}
	return found, nil
}

// scanMessageIDs adds the messageId of each row to found, and closes rows.
func scanMessageIDs(rows *sql.Rows, found map[string]bool) error {
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return err
		}
		found[id] = true
	}
	return rows.Err()
}

// profileEventsSQL selects the seqs of a profile's events: those sent
// with one of its userId or anonymousId identities. The <> ” terms let
// SQLite use the partial indexes.
const profileEventsSQL = `SELECT seq FROM events WHERE user_id <> '' AND user_id IN
		(SELECT value FROM identities WHERE profile_id = ?1 AND kind = 'user_id')
	UNION
	SELECT seq FROM events WHERE anonymous_id <> '' AND anonymous_id IN
		(SELECT value FROM identities WHERE profile_id = ?1 AND kind = 'anonymous_id')`

// FindEvents returns a page of the profile's events, newest event time
// first (ties broken by Seq, newest first). An unknown profile has none.
func (s *Store) FindEvents(ctx context.Context, filter rapport.EventFilter) ([]rapport.Event, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT seq, body FROM events
		WHERE seq IN (`+profileEventsSQL+`)
		ORDER BY timestamp DESC, seq DESC LIMIT ?2 OFFSET ?3`,
		filter.ProfileID, storecodec.PageLimit(filter.Limit), max(filter.Offset, 0))
	if err != nil {
		return nil, fmt.Errorf("find events: %w", err)
	}
	return scanEvents(rows)
}

// scanEvents reads (seq, body) rows and closes them.
func scanEvents(rows *sql.Rows) ([]rapport.Event, error) {
	defer rows.Close()
	events := []rapport.Event{}
	for rows.Next() {
		var seq int64
		var body []byte
		if err := rows.Scan(&seq, &body); err != nil {
			return nil, fmt.Errorf("scan event: %w", err)
		}
		e, err := storecodec.DecodeEvent(seq, body)
		if err != nil {
			return nil, err
		}
		events = append(events, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("scan events: %w", err)
	}
	return events, nil
}

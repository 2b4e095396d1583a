package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"github.com/rapportdev/rapport"
)

// eventChunk is how many events one INSERT statement carries: 8
// parameters each stays well under SQLite's 32766, and one statement per
// few hundred rows makes the per-call overhead of database/sql negligible.
const eventChunk = 256

// insertEventsSQL returns the INSERT for n events. RETURNING reports only
// the rows actually inserted, so retried messages are told apart.
func insertEventsSQL(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO events
	(message_id, type, user_id, anonymous_id, source_id, timestamp, received_at, body) VALUES `)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,?,?,?,?,?,?)")
	}
	b.WriteString(` ON CONFLICT (message_id) DO NOTHING RETURNING seq, message_id`)
	return b.String()
}

// fullChunkSQL is the statement for a full chunk, built once.
var fullChunkSQL = insertEventsSQL(eventChunk)

// AppendEvents stores the events whose MessageID is new, in one durable
// transaction, and returns how many were new. It writes the assigned Seq
// back into the slice elements of new events; an element whose MessageID
// was already in the log, or earlier in the slice, keeps its Seq as it was.
func (s *Store) AppendEvents(ctx context.Context, events []rapport.Event) (int, error) {
	if len(events) == 0 {
		return 0, nil
	}
	// Encode before taking the write lock, so other writers wait less.
	bodies, err := encodeBodies(events)
	if err != nil {
		return 0, err
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("append events: %w", err)
	}
	defer tx.Rollback()
	seqs := make(map[string]int64, len(events))
	for lo := 0; lo < len(events); lo += eventChunk {
		hi := min(lo+eventChunk, len(events))
		if err := insertChunk(ctx, tx, events[lo:hi], bodies[lo:hi], seqs); err != nil {
			return 0, fmt.Errorf("append events: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("append events: commit: %w", err)
	}
	appended := len(seqs)
	writeBackSeqs(events, seqs)
	return appended, nil
}

// insertChunk inserts up to eventChunk events and records the Seq of each
// new one by MessageID.
func insertChunk(ctx context.Context, tx *sql.Tx, events []rapport.Event, bodies []string, seqs map[string]int64) error {
	query := fullChunkSQL
	if len(events) != eventChunk {
		query = insertEventsSQL(len(events))
	}
	args := make([]any, 0, 8*len(events))
	for i := range events {
		e := &events[i]
		args = append(args, e.MessageID, string(e.Type), e.UserID, e.AnonymousID, e.SourceID,
			nanos(e.Timestamp), nanos(e.ReceivedAt), bodies[i])
	}
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var id string
		if err := rows.Scan(&seq, &id); err != nil {
			return err
		}
		seqs[id] = seq
	}
	return rows.Err()
}

// writeBackSeqs sets Seq on the first element carrying each new MessageID.
func writeBackSeqs(events []rapport.Event, seqs map[string]int64) {
	for i := range events {
		if seq, ok := seqs[events[i].MessageID]; ok {
			events[i].Seq = seq
			delete(seqs, events[i].MessageID)
			seqs[""+events[i].MessageID+"\x00done"] = 0
		}
	}
}

// encodeBodies returns the JSON body of each event. Large batches are
// encoded on every CPU: encoding is most of an append's CPU time.
func encodeBodies(events []rapport.Event) ([]string, error) {
	bodies := make([]string, len(events))
	workers := min(runtime.GOMAXPROCS(0), len(events)/128+1)
	per := (len(events) + workers - 1) / workers
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w * per; i < min((w+1)*per, len(events)); i++ {
				if bodies[i], errs[w] = eventBody(&events[i]); errs[w] != nil {
					errs[w] = fmt.Errorf("event %q: %w", events[i].MessageID, errs[w])
					return
				}
			}
		})
	}
	wg.Wait()
	return bodies, errors.Join(errs...)
}

// eventBody returns the JSON stored for e. Seq is left out: it is the
// row's own column, assigned on insert.
func eventBody(e *rapport.Event) (string, error) {
	c := *e
	c.Seq = 0
	b, err := json.Marshal(&c)
	if err != nil {
		return "", fmt.Errorf("encode event: %w", err)
	}
	return string(b), nil
}

// decodeEvent rebuilds a stored event, with its times in UTC.
func decodeEvent(seq int64, body []byte) (rapport.Event, error) {
	var e rapport.Event
	if err := json.Unmarshal(body, &e); err != nil {
		return e, fmt.Errorf("decode event %d: %w", seq, err)
	}
	e.Seq = seq
	e.Timestamp = e.Timestamp.UTC()
	e.OriginalTimestamp = e.OriginalTimestamp.UTC()
	e.SentAt = e.SentAt.UTC()
	e.ReceivedAt = e.ReceivedAt.UTC()
	return e, nil
}

// ReadEvents returns up to limit events with Seq greater than after, in
// Seq order. A limit of 0 or less reads up to 1000.
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
		filter.ProfileID, limit(filter.Limit), max(filter.Offset, 0))
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
		e, err := decodeEvent(seq, body)
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

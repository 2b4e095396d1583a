package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/jackc/pgx/v5"

	"github.com/rapportdev/rapport"
)

// appendLockSQL serializes appends to the schema's log. A sequence hands
// out values at insert but transactions commit in any order, so without
// it a reader could see seq 12 committed before 11 and, having moved its
// checkpoint past 12, never read 11. Under the lock seq order is commit
// order. The lock is released at commit, after the rows are visible.
const appendLockSQL = `SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.rapport_events'))`

// insertEventsSQL inserts a batch given as one array per column. The
// ordinality keeps seq in slice order; RETURNING reports only the rows
// actually inserted, so retried messages are told apart.
const insertEventsSQL = `INSERT INTO events
	(message_id, type, user_id, anonymous_id, source_id, timestamp, received_at, body)
	SELECT m, ty, u, a, s, ts, ra, b::json
	FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::text[])
		WITH ORDINALITY AS t(m, ty, u, a, s, ts, ra, b, ord)
	ORDER BY ord
	ON CONFLICT (message_id) DO NOTHING
	RETURNING seq, message_id`

// eventColumns holds a batch of events as one slice per column.
type eventColumns struct {
	messageIDs, types, userIDs, anonIDs, sourceIDs, bodies []string
	timestamps, receivedAts                                []int64
}

// AppendEvents stores the events whose MessageID is new, in one
// transaction, and returns how many were new. It writes the assigned Seq
// back into the slice elements of new events; an element whose MessageID
// was already in the log, or earlier in the slice, keeps its Seq as it was.
func (s *Store) AppendEvents(ctx context.Context, events []rapport.Event) (int, error) {
	if len(events) == 0 {
		return 0, nil
	}
	cols, err := columns(events)
	if err != nil {
		return 0, err
	}
	seqs := make(map[string]int64, len(events))
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, appendLockSQL); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, insertEventsSQL, cols.messageIDs, cols.types, cols.userIDs,
			cols.anonIDs, cols.sourceIDs, cols.timestamps, cols.receivedAts, cols.bodies)
		var seq int64
		var id string
		_, err := pgx.ForEachRow(rows, []any{&seq, &id}, func() error {
			seqs[id] = seq
			return nil
		})
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("append events: %w", err)
	}
	return writeBackSeqs(events, seqs), nil
}

// columns splits events into column slices, keeping the first of each
// MessageID (PostgreSQL cannot dedupe within one INSERT's rows cheaply).
func columns(events []rapport.Event) (*eventColumns, error) {
	bodies, err := encodeBodies(events)
	if err != nil {
		return nil, err
	}
	n := len(events)
	c := &eventColumns{make([]string, 0, n), make([]string, 0, n), make([]string, 0, n), make([]string, 0, n),
		make([]string, 0, n), make([]string, 0, n), make([]int64, 0, n), make([]int64, 0, n)}
	seen := make(map[string]bool, n)
	for i := range events {
		e := &events[i]
		id := text(e.MessageID)
		if seen[id] {
			continue
		}
		seen[id] = true
		c.messageIDs = append(c.messageIDs, id)
		c.types = append(c.types, text(string(e.Type)))
		c.userIDs = append(c.userIDs, text(e.UserID))
		c.anonIDs = append(c.anonIDs, text(e.AnonymousID))
		c.sourceIDs = append(c.sourceIDs, text(e.SourceID))
		c.timestamps = append(c.timestamps, nanos(e.Timestamp))
		c.receivedAts = append(c.receivedAts, nanos(e.ReceivedAt))
		c.bodies = append(c.bodies, bodies[i])
	}
	return c, nil
}

// writeBackSeqs sets Seq on the first element carrying each new MessageID
// and returns how many were new.
func writeBackSeqs(events []rapport.Event, seqs map[string]int64) int {
	appended := len(seqs)
	for i := range events {
		id := text(events[i].MessageID)
		if seq, ok := seqs[id]; ok {
			events[i].Seq = seq
			delete(seqs, id) // later copies were not new
		}
	}
	return appended
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
	rows, _ := s.pool.Query(ctx, `SELECT seq, body FROM events WHERE seq > $1 ORDER BY seq LIMIT $2`, after, limit)
	events, err := scanEvents(rows)
	if err != nil {
		return nil, fmt.Errorf("read events: %w", err)
	}
	return events, nil
}

// profileEventsSQL selects the seqs of a profile's events: those sent
// with one of its userId or anonymousId identities. The <> ” terms let
// PostgreSQL use the partial indexes.
const profileEventsSQL = `SELECT seq FROM events WHERE user_id <> '' AND user_id IN
		(SELECT value FROM identities WHERE profile_id = $1 AND kind = 'user_id')
	UNION
	SELECT seq FROM events WHERE anonymous_id <> '' AND anonymous_id IN
		(SELECT value FROM identities WHERE profile_id = $1 AND kind = 'anonymous_id')`

// FindEvents returns a page of the profile's events, newest event time
// first (ties broken by Seq, newest first). An unknown profile has none.
func (s *Store) FindEvents(ctx context.Context, filter rapport.EventFilter) ([]rapport.Event, error) {
	rows, _ := s.pool.Query(ctx, `SELECT seq, body FROM events
		WHERE seq IN (`+profileEventsSQL+`)
		ORDER BY timestamp DESC, seq DESC LIMIT $2 OFFSET $3`,
		text(filter.ProfileID), limit(filter.Limit), max(filter.Offset, 0))
	events, err := scanEvents(rows)
	if err != nil {
		return nil, fmt.Errorf("find events: %w", err)
	}
	return events, nil
}

// scanEvents reads (seq, body) rows.
func scanEvents(rows pgx.Rows) ([]rapport.Event, error) {
	events := []rapport.Event{}
	var seq int64
	var body []byte
	_, err := pgx.ForEachRow(rows, []any{&seq, &body}, func() error {
		e, err := decodeEvent(seq, body)
		events = append(events, e)
		return err
	})
	if err != nil {
		return nil, err
	}
	return events, nil
}

package postgres

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
)

// insertEventsSQL stores a batch given as one array per column. A row
// whose seq or messageId is stored already is skipped: the log may hold a
// retried message twice, and a replayed batch must not fail.
const insertEventsSQL = `INSERT INTO events
	(seq, message_id, type, user_id, anonymous_id, source_id, timestamp, received_at, body)
	SELECT q, m, ty, u, a, s, ts, ra, b::json
	FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
		$7::bigint[], $8::bigint[], $9::text[]) AS t(q, m, ty, u, a, s, ts, ra, b)
	ON CONFLICT DO NOTHING`

// eventColumns holds a batch of events as one slice per column.
type eventColumns struct {
	seqs, timestamps, receivedAts                          []int64
	messageIDs, types, userIDs, anonIDs, sourceIDs, bodies []string
}

// queueEvents queues the insert of events into b.
func queueEvents(b *pgx.Batch, events []rapport.Event) error {
	if len(events) == 0 {
		return nil
	}
	args, err := eventArgs(events)
	if err != nil {
		return err
	}
	b.Queue(insertEventsSQL, args...)
	return nil
}

// eventArgs returns the arguments of insertEventsSQL for events.
func eventArgs(events []rapport.Event) ([]any, error) {
	bodies, err := storableBodies(events, storecodec.Serial)
	if err != nil {
		return nil, err
	}
	n := len(events)
	c := eventColumns{make([]int64, n), make([]int64, n), make([]int64, n),
		make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), bodies}
	for i := range events {
		e := &events[i]
		c.seqs[i], c.timestamps[i], c.receivedAts[i] = e.Seq, storecodec.Nanos(e.Timestamp), storecodec.Nanos(e.ReceivedAt)
		c.messageIDs[i], c.types[i] = text(e.MessageID), text(string(e.Type))
		c.userIDs[i], c.anonIDs[i], c.sourceIDs[i] = text(e.UserID), text(e.AnonymousID), text(e.SourceID)
	}
	return []any{c.seqs, c.messageIDs, c.types, c.userIDs, c.anonIDs, c.sourceIDs,
		c.timestamps, c.receivedAts, c.bodies}, nil
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

// FindMessageIDs returns which of the given messageIds are stored.
func (s *Store) FindMessageIDs(ctx context.Context, ids []string) (map[string]bool, error) {
	found := make(map[string]bool)
	if len(ids) == 0 {
		return found, nil
	}
	// Stored ids went through text; map them back to the ids asked for.
	asked := make(map[string][]string, len(ids))
	for _, id := range ids {
		asked[text(id)] = append(asked[text(id)], id)
	}
	rows, _ := s.pool.Query(ctx, `SELECT message_id FROM events WHERE message_id = ANY($1)`, slices.Collect(maps.Keys(asked)))
	var id string
	_, err := pgx.ForEachRow(rows, []any{&id}, func() error {
		for _, orig := range asked[id] {
			found[orig] = true
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find message ids: %w", err)
	}
	return found, nil
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
		text(filter.ProfileID), storecodec.PageLimit(filter.Limit), max(filter.Offset, 0))
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
		e, err := storecodec.DecodeEvent(seq, body)
		events = append(events, e)
		return err
	})
	if err != nil {
		return nil, err
	}
	return events, nil
}

package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
)

const segmentColumns = `id, name, description, kind, expression, persona, created_at, updated_at`

// PutSegment creates or replaces the segment.
func (s *Store) PutSegment(ctx context.Context, seg *rapport.Segment) error {
	if err := storecodec.CheckSegment(seg); err != nil {
		return err
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO segments (`+segmentColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description, kind = excluded.kind,
			expression = excluded.expression, persona = excluded.persona, updated_at = excluded.updated_at`,
		text(seg.ID), text(seg.Name), text(seg.Description), text(seg.Kind), text(seg.Expression), text(string(seg.Persona)),
		storecodec.Nanos(seg.CreatedAt), storecodec.Nanos(seg.UpdatedAt))
	if err != nil {
		return fmt.Errorf("put segment %s: %w", seg.ID, err)
	}
	return nil
}

// FindSegment returns the segment or ENOTFOUND.
func (s *Store) FindSegment(ctx context.Context, id string) (*rapport.Segment, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+segmentColumns+` FROM segments WHERE id = $1`, text(id))
	seg, err := pgx.CollectExactlyOneRow(rows, scanSegment)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "segment %s not found", id)
	} else if err != nil {
		return nil, fmt.Errorf("find segment %s: %w", id, err)
	}
	return seg, nil
}

// FindSegments returns every segment by id.
func (s *Store) FindSegments(ctx context.Context) ([]*rapport.Segment, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+segmentColumns+` FROM segments ORDER BY id`)
	out, err := pgx.CollectRows(rows, scanSegment)
	if err != nil {
		return nil, fmt.Errorf("find segments: %w", err)
	}
	return out, nil
}

func scanSegment(row pgx.CollectableRow) (*rapport.Segment, error) {
	var seg rapport.Segment
	var persona string
	var created, updated int64
	if err := row.Scan(&seg.ID, &seg.Name, &seg.Description, &seg.Kind, &seg.Expression, &persona, &created, &updated); err != nil {
		return nil, err
	}
	if persona != "" {
		seg.Persona = []byte(persona)
	}
	seg.CreatedAt, seg.UpdatedAt = storecodec.FromNanos(&created), storecodec.FromNanos(&updated)
	return &seg, nil
}

// DeleteSegment removes the segment with its members and history.
func (s *Store) DeleteSegment(ctx context.Context, id string) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM segments WHERE id = $1`, text(id))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return rapport.Errorf(rapport.ENOTFOUND, "segment %s not found", id)
		}
		b := &pgx.Batch{}
		b.Queue(`DELETE FROM segment_members WHERE segment_id = $1`, text(id))
		b.Queue(`DELETE FROM segment_history WHERE segment_id = $1`, text(id))
		return tx.SendBatch(ctx, b).Close()
	})
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		return err
	} else if err != nil {
		return fmt.Errorf("delete segment %s: %w", id, err)
	}
	return nil
}

// CountMembers counts the members of each segment.
func (s *Store) CountMembers(ctx context.Context, segmentIDs []string) (map[string]int, error) {
	out := make(map[string]int, len(segmentIDs))
	for _, id := range segmentIDs {
		out[id] = 0
	}
	rows, _ := s.pool.Query(ctx, `SELECT segment_id, count(*) FROM segment_members WHERE segment_id = ANY($1) GROUP BY segment_id`,
		texts(segmentIDs))
	var id string
	var n int
	_, err := pgx.ForEachRow(rows, []any{&id, &n}, func() error { out[id] = n; return nil })
	if err != nil {
		return nil, fmt.Errorf("count members: %w", err)
	}
	return out, nil
}

// FindMembers returns a page of members by profile id.
func (s *Store) FindMembers(ctx context.Context, segmentID string, offset, limit int) ([]rapport.Member, int, error) {
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM segment_members WHERE segment_id = $1`, text(segmentID)).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count members of %s: %w", segmentID, err)
	}
	rows, _ := s.pool.Query(ctx, `SELECT profile_id, since FROM segment_members WHERE segment_id = $1
		ORDER BY profile_id LIMIT $2 OFFSET $3`, text(segmentID), storecodec.PageLimit(limit), max(offset, 0))
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (rapport.Member, error) {
		var m rapport.Member
		var since int64
		err := row.Scan(&m.ProfileID, &since)
		m.Since = storecodec.FromNanos(&since)
		return m, err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("find members of %s: %w", segmentID, err)
	}
	return out, total, nil
}

// FindMemberships returns each profile's segments.
func (s *Store) FindMemberships(ctx context.Context, profileIDs []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(profileIDs) == 0 {
		return out, nil
	}
	rows, _ := s.pool.Query(ctx, `SELECT profile_id, segment_id FROM segment_members WHERE profile_id = ANY($1)
		ORDER BY profile_id, segment_id`, texts(profileIDs))
	var p, seg string
	_, err := pgx.ForEachRow(rows, []any{&p, &seg}, func() error { out[p] = append(out[p], seg); return nil })
	if err != nil {
		return nil, fmt.Errorf("find memberships: %w", err)
	}
	return out, nil
}

// FindHistory returns membership changes, newest first.
func (s *Store) FindHistory(ctx context.Context, f rapport.HistoryFilter) ([]rapport.MembershipChange, error) {
	rows, _ := s.pool.Query(ctx, `SELECT segment_id, profile_id, entered, at FROM segment_history
		WHERE ($1 = '' OR segment_id = $1) AND ($2 = '' OR profile_id = $2) ORDER BY id DESC LIMIT $3 OFFSET $4`,
		text(f.SegmentID), text(f.ProfileID), storecodec.PageLimit(f.Limit), max(f.Offset, 0))
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (rapport.MembershipChange, error) {
		var c rapport.MembershipChange
		var at int64
		err := row.Scan(&c.SegmentID, &c.ProfileID, &c.Entered, &at)
		c.At = storecodec.FromNanos(&at)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("find segment history: %w", err)
	}
	return out, nil
}

// ApplyMemberships records the changes that take effect, in one
// transaction.
func (s *Store) ApplyMemberships(ctx context.Context, changes []rapport.MembershipChange) error {
	if err := storecodec.CheckMemberships(changes); err != nil {
		return err
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		notes, err := applyMemberships(ctx, tx, changes)
		if err != nil {
			return err
		}
		nb := &pgx.Batch{}
		if err := queueNotifications(ctx, tx, nb, notes); err != nil {
			return err
		}
		return tx.SendBatch(ctx, nb).Close()
	})
	if err != nil {
		return fmt.Errorf("apply memberships: %w", err)
	}
	return nil
}

// applyMemberships writes each change that takes effect with its history
// row, in one batch, and returns the notifications of those.
func applyMemberships(ctx context.Context, tx pgx.Tx, changes []rapport.MembershipChange) ([]rapport.Notification, error) {
	if len(changes) == 0 {
		return nil, nil
	}
	// A change computed from an older copy of the profile than the stored
	// one (Seen before updated_at) is stale: it is skipped.
	b := &pgx.Batch{}
	for _, m := range changes {
		if m.Entered {
			b.Queue(`WITH changed AS (INSERT INTO segment_members (segment_id, profile_id, since)
					SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM profiles WHERE id = $2 AND coalesce(updated_at, 0) <= $4::bigint)
						AND EXISTS (SELECT 1 FROM segments WHERE id = $1)
					ON CONFLICT DO NOTHING RETURNING segment_id)
				INSERT INTO segment_history (segment_id, profile_id, entered, at) SELECT $1, $2, true, $3 FROM changed`,
				text(m.SegmentID), text(m.ProfileID), storecodec.Nanos(m.At), storecodec.SeenNanos(m))
			continue
		}
		b.Queue(`WITH changed AS (DELETE FROM segment_members WHERE segment_id = $1 AND profile_id = $2
				AND NOT EXISTS (SELECT 1 FROM profiles WHERE id = $2 AND updated_at > $4::bigint) RETURNING segment_id)
			INSERT INTO segment_history (segment_id, profile_id, entered, at) SELECT $1, $2, false, $3 FROM changed`,
			text(m.SegmentID), text(m.ProfileID), storecodec.Nanos(m.At), storecodec.SeenNanos(m))
	}
	res := tx.SendBatch(ctx, b)
	var notes []rapport.Notification
	for _, m := range changes {
		tag, err := res.Exec()
		if err != nil {
			res.Close()
			return nil, fmt.Errorf("membership of %s in %s: %w", m.ProfileID, m.SegmentID, err)
		}
		if tag.RowsAffected() > 0 {
			notes = append(notes, m.Notification())
		}
	}
	return notes, res.Close()
}

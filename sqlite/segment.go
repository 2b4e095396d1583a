package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
)

const segmentColumns = `id, name, description, kind, expression, persona, created_at, updated_at`

// PutSegment creates or replaces the segment.
func (s *Store) PutSegment(ctx context.Context, seg *rapport.Segment) error {
	if err := storecodec.CheckSegment(seg); err != nil {
		return err
	}
	_, err := s.write.ExecContext(ctx, `INSERT INTO segments (`+segmentColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description, kind = excluded.kind,
			expression = excluded.expression, persona = excluded.persona, updated_at = excluded.updated_at`,
		seg.ID, seg.Name, seg.Description, seg.Kind, seg.Expression, string(seg.Persona),
		storecodec.Nanos(seg.CreatedAt), storecodec.Nanos(seg.UpdatedAt))
	if err != nil {
		return fmt.Errorf("put segment %s: %w", seg.ID, err)
	}
	return nil
}

// FindSegment returns the segment or ENOTFOUND.
func (s *Store) FindSegment(ctx context.Context, id string) (*rapport.Segment, error) {
	seg, err := scanSegment(s.read.QueryRowContext(ctx, `SELECT `+segmentColumns+` FROM segments WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "segment %s not found", id)
	} else if err != nil {
		return nil, fmt.Errorf("find segment %s: %w", id, err)
	}
	return seg, nil
}

// FindSegments returns every segment by id.
func (s *Store) FindSegments(ctx context.Context) ([]*rapport.Segment, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+segmentColumns+` FROM segments ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("find segments: %w", err)
	}
	defer rows.Close()
	out := []*rapport.Segment{}
	for rows.Next() {
		seg, err := scanSegment(rows)
		if err != nil {
			return nil, fmt.Errorf("find segments: %w", err)
		}
		out = append(out, seg)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find segments: %w", err)
	}
	return out, nil
}

func scanSegment(row scanner) (*rapport.Segment, error) {
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
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("delete segment %s: %w", id, err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `DELETE FROM segments WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete segment %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return rapport.Errorf(rapport.ENOTFOUND, "segment %s not found", id)
	}
	for _, q := range []string{`DELETE FROM segment_members WHERE segment_id = ?`, `DELETE FROM segment_history WHERE segment_id = ?`} {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return fmt.Errorf("delete segment %s: %w", id, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("delete segment %s: commit: %w", id, err)
	}
	return nil
}

// CountMembers counts the members of each segment.
func (s *Store) CountMembers(ctx context.Context, segmentIDs []string) (map[string]int, error) {
	out := make(map[string]int, len(segmentIDs))
	for _, id := range segmentIDs {
		var n int
		if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM segment_members WHERE segment_id = ?`, id).Scan(&n); err != nil {
			return nil, fmt.Errorf("count members of %s: %w", id, err)
		}
		out[id] = n
	}
	return out, nil
}

// FindMembers returns a page of members by profile id.
func (s *Store) FindMembers(ctx context.Context, segmentID string, offset, limit int) ([]rapport.Member, int, error) {
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM segment_members WHERE segment_id = ?`, segmentID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count members of %s: %w", segmentID, err)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT profile_id, since FROM segment_members WHERE segment_id = ?
		ORDER BY profile_id LIMIT ? OFFSET ?`, segmentID, storecodec.PageLimit(limit), max(offset, 0))
	if err != nil {
		return nil, 0, fmt.Errorf("find members of %s: %w", segmentID, err)
	}
	defer rows.Close()
	out := []rapport.Member{}
	for rows.Next() {
		var m rapport.Member
		var since int64
		if err := rows.Scan(&m.ProfileID, &since); err != nil {
			return nil, 0, fmt.Errorf("find members of %s: %w", segmentID, err)
		}
		m.Since = storecodec.FromNanos(&since)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("find members of %s: %w", segmentID, err)
	}
	return out, total, nil
}

// FindMemberships returns each profile's segments.
func (s *Store) FindMemberships(ctx context.Context, profileIDs []string) (map[string][]string, error) {
	out := map[string][]string{}
	for lo := 0; lo < len(profileIDs); lo += identityChunk {
		chunk := profileIDs[lo:min(lo+identityChunk, len(profileIDs))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		marks := strings.TrimSuffix(strings.Repeat("?,", len(chunk)), ",")
		rows, err := s.read.QueryContext(ctx, `SELECT profile_id, segment_id FROM segment_members
			WHERE profile_id IN (`+marks+`) ORDER BY profile_id, segment_id`, args...)
		if err != nil {
			return nil, fmt.Errorf("find memberships: %w", err)
		}
		for rows.Next() {
			var p, seg string
			if err := rows.Scan(&p, &seg); err != nil {
				rows.Close()
				return nil, fmt.Errorf("find memberships: %w", err)
			}
			out[p] = append(out[p], seg)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("find memberships: %w", err)
		}
	}
	return out, nil
}

// FindHistory returns membership changes, newest first.
func (s *Store) FindHistory(ctx context.Context, f rapport.HistoryFilter) ([]rapport.MembershipChange, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT segment_id, profile_id, entered, at FROM segment_history
		WHERE (?1 = '' OR segment_id = ?1) AND (?2 = '' OR profile_id = ?2) ORDER BY id DESC LIMIT ?3 OFFSET ?4`,
		f.SegmentID, f.ProfileID, storecodec.PageLimit(f.Limit), max(f.Offset, 0))
	if err != nil {
		return nil, fmt.Errorf("find segment history: %w", err)
	}
	defer rows.Close()
	out := []rapport.MembershipChange{}
	for rows.Next() {
		var c rapport.MembershipChange
		var at int64
		if err := rows.Scan(&c.SegmentID, &c.ProfileID, &c.Entered, &at); err != nil {
			return nil, fmt.Errorf("find segment history: %w", err)
		}
		c.At = storecodec.FromNanos(&at)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
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
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("apply memberships: %w", err)
	}
	defer tx.Rollback()
	c := rapport.Changes{Memberships: changes}
	if err := applyMemberships(ctx, tx, &c); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("apply memberships: commit: %w", err)
	}
	return nil
}

// applyMemberships writes each change that takes effect, its history row
// and its notification.
func applyMemberships(ctx context.Context, tx *sql.Tx, c *rapport.Changes) error {
	if len(c.Memberships) == 0 {
		return nil
	}
	// A change computed from an older copy of the profile than the stored
	// one (Seen before updated_at) is stale: it is skipped.
	enter, err := tx.PrepareContext(ctx, `INSERT INTO segment_members (segment_id, profile_id, since)
		SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM profiles WHERE id = ?2 AND coalesce(updated_at, 0) <= ?4)
			AND EXISTS (SELECT 1 FROM segments WHERE id = ?1) ON CONFLICT DO NOTHING`)
	if err != nil {
		return fmt.Errorf("apply memberships: %w", err)
	}
	defer enter.Close()
	leave, err := tx.PrepareContext(ctx, `DELETE FROM segment_members WHERE segment_id = ?1 AND profile_id = ?2
		AND NOT EXISTS (SELECT 1 FROM profiles WHERE id = ?2 AND updated_at > ?3)`)
	if err != nil {
		return fmt.Errorf("apply memberships: %w", err)
	}
	defer leave.Close()
	history, err := tx.PrepareContext(ctx, `INSERT INTO segment_history (segment_id, profile_id, entered, at) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("apply memberships: %w", err)
	}
	defer history.Close()
	var notes []rapport.Notification
	for _, m := range c.Memberships {
		var res sql.Result
		if m.Entered {
			res, err = enter.ExecContext(ctx, m.SegmentID, m.ProfileID, storecodec.Nanos(m.At), storecodec.SeenNanos(m))
		} else {
			res, err = leave.ExecContext(ctx, m.SegmentID, m.ProfileID, storecodec.SeenNanos(m))
		}
		if err != nil {
			return fmt.Errorf("apply membership of %s in %s: %w", m.ProfileID, m.SegmentID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue
		}
		if _, err := history.ExecContext(ctx, m.SegmentID, m.ProfileID, m.Entered, storecodec.Nanos(m.At)); err != nil {
			return fmt.Errorf("apply membership of %s in %s: %w", m.ProfileID, m.SegmentID, err)
		}
		notes = append(notes, m.Notification())
	}
	return enqueue(ctx, tx, notes)
}

package sqlite

import (
	"context"
	"fmt"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
)

// ScanProfiles returns up to limit profiles after the given id, by id.
func (s *Store) ScanProfiles(ctx context.Context, after string, limit int) ([]*rapport.Profile, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+profileColumns+` FROM profiles WHERE id > ? ORDER BY id LIMIT ?`,
		after, max(limit, 1))
	if err != nil {
		return nil, fmt.Errorf("scan profiles after %q: %w", after, err)
	}
	defer rows.Close()
	out := make([]*rapport.Profile, 0, limit)
	for rows.Next() {
		p, err := scanProfile(rows)
		if err != nil {
			return nil, fmt.Errorf("scan profiles after %q: %w", after, err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("scan profiles after %q: %w", after, err)
	}
	if err := s.attachIdentities(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateScores writes the updates whose Prev still matches, in one
// transaction.
func (s *Store) UpdateScores(ctx context.Context, updates []rapport.ScoreUpdate) (int, error) {
	if len(updates) == 0 {
		return 0, nil
	}
	if err := checkUpdates(updates); err != nil {
		return 0, err
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("update scores: %w", err)
	}
	defer tx.Rollback()
	replace, err := tx.PrepareContext(ctx, `UPDATE scores SET fit = ?, grade = ?, engagement = ?, stage = ?,
		priority = ?, state = ?, result = ?, updated_at = ? WHERE profile_id = ? AND updated_at IS ?`)
	if err != nil {
		return 0, fmt.Errorf("update scores: %w", err)
	}
	defer replace.Close()
	insert, err := tx.PrepareContext(ctx, `INSERT INTO scores (`+scoreColumns+`)
		SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM profiles WHERE id = ?1)
		ON CONFLICT (profile_id) DO NOTHING`)
	if err != nil {
		return 0, fmt.Errorf("update scores: %w", err)
	}
	defer insert.Close()
	written := 0
	var notes []rapport.Notification
	for i := range updates {
		r, prev := &updates[i].Record, updates[i].Prev
		state, result := string(storecodec.ScoreJSON(r.State)), string(storecodec.ScoreJSON(r.Result))
		var n int64
		if prev.IsZero() {
			res, err := insert.ExecContext(ctx, r.ProfileID, r.Fit, r.Grade, r.Engagement, r.Stage, r.Priority,
				state, result, storecodec.NullNanos(r.UpdatedAt))
			if err != nil {
				return 0, fmt.Errorf("insert score of %s: %w", r.ProfileID, err)
			}
			n, _ = res.RowsAffected()
		} else {
			res, err := replace.ExecContext(ctx, r.Fit, r.Grade, r.Engagement, r.Stage, r.Priority,
				state, result, storecodec.NullNanos(r.UpdatedAt), r.ProfileID, storecodec.NullNanos(prev))
			if err != nil {
				return 0, fmt.Errorf("update score of %s: %w", r.ProfileID, err)
			}
			n, _ = res.RowsAffected()
		}
		if n > 0 {
			written++
			notes = append(notes, updates[i].Notifications...)
		}
	}
	if err := enqueue(ctx, tx, notes); err != nil {
		return 0, fmt.Errorf("update scores: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("update scores: commit: %w", err)
	}
	return written, nil
}

// checkUpdates refuses notifications that could not be delivered, before
// anything is written.
func checkUpdates(updates []rapport.ScoreUpdate) error {
	for i := range updates {
		if err := storecodec.CheckNotifications(updates[i].Notifications); err != nil {
			return fmt.Errorf("update score of %s: %w", updates[i].Record.ProfileID, err)
		}
	}
	return nil
}

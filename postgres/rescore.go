package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
)

// ScanProfiles returns up to limit profiles after the given id, by id.
func (s *Store) ScanProfiles(ctx context.Context, after string, limit int) ([]*rapport.Profile, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+profileColumns+` FROM profiles WHERE id > $1 ORDER BY id LIMIT $2`,
		text(after), max(limit, 1))
	profiles, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*rapport.Profile, error) {
		return scanProfile(row)
	})
	if err != nil {
		return nil, fmt.Errorf("scan profiles after %q: %w", after, err)
	}
	if err := s.attachIdentities(ctx, profiles); err != nil {
		return nil, err
	}
	return profiles, nil
}

// UpdateScores writes the updates whose Prev still matches, in one
// transaction sent as one batch.
func (s *Store) UpdateScores(ctx context.Context, updates []rapport.ScoreUpdate) (int, error) {
	if len(updates) == 0 {
		return 0, nil
	}
	for i := range updates {
		if err := storecodec.CheckNotifications(updates[i].Notifications); err != nil {
			return 0, fmt.Errorf("update score of %s: %w", updates[i].Record.ProfileID, err)
		}
	}
	b := &pgx.Batch{}
	for i := range updates {
		r, prev := &updates[i].Record, updates[i].Prev
		args := []any{text(r.ProfileID), r.Fit, text(r.Grade), r.Engagement, text(r.Stage), r.Priority,
			jsonb(storecodec.ScoreJSON(r.State)), jsonb(storecodec.ScoreJSON(r.Result)), storecodec.NullNanos(r.UpdatedAt)}
		if prev.IsZero() {
			b.Queue(`INSERT INTO scores (`+scoreColumns+`)
				SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9 WHERE EXISTS (SELECT 1 FROM profiles WHERE id = $1)
				ON CONFLICT (profile_id) DO NOTHING`, args...)
			continue
		}
		b.Queue(`UPDATE scores SET fit = $2, grade = $3, engagement = $4, stage = $5, priority = $6,
			state = $7, result = $8, updated_at = $9 WHERE profile_id = $1 AND updated_at IS NOT DISTINCT FROM $10`,
			append(args, storecodec.NullNanos(prev))...)
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("update scores: %w", err)
	}
	defer tx.Rollback(ctx)
	res := tx.SendBatch(ctx, b)
	written := 0
	var notes []rapport.Notification
	for i := range updates {
		tag, err := res.Exec()
		if err != nil {
			res.Close()
			return 0, fmt.Errorf("update score of %s: %w", updates[i].Record.ProfileID, err)
		}
		if tag.RowsAffected() > 0 {
			written++
			notes = append(notes, updates[i].Notifications...)
		}
	}
	if err := res.Close(); err != nil {
		return 0, fmt.Errorf("update scores: %w", err)
	}
	if len(notes) > 0 {
		nb := &pgx.Batch{}
		if err := queueNotifications(ctx, tx, nb, notes); err != nil {
			return 0, fmt.Errorf("update scores: %w", err)
		}
		if err := tx.SendBatch(ctx, nb).Close(); err != nil {
			return 0, fmt.Errorf("update scores: queue notifications: %w", err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, fmt.Errorf("update scores: commit: %w", err)
	}
	return written, nil
}

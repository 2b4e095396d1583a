package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
)

const scoreColumns = `profile_id, fit, grade, engagement, stage, priority, state, result, updated_at`

// upsertScores writes each score whole.
func upsertScores(ctx context.Context, tx *sql.Tx, c *rapport.Changes) error {
	if len(c.Scores) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO scores (`+scoreColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (profile_id) DO UPDATE SET fit = excluded.fit, grade = excluded.grade,
			engagement = excluded.engagement, stage = excluded.stage, priority = excluded.priority,
			state = excluded.state, result = excluded.result, updated_at = excluded.updated_at`)
	if err != nil {
		return fmt.Errorf("upsert scores: %w", err)
	}
	defer stmt.Close()
	for i := range c.Scores {
		r := &c.Scores[i]
		if _, err := stmt.ExecContext(ctx, r.ProfileID, r.Fit, r.Grade, r.Engagement, r.Stage, r.Priority,
			string(storecodec.ScoreJSON(r.State)), string(storecodec.ScoreJSON(r.Result)),
			storecodec.NullNanos(r.UpdatedAt)); err != nil {
			return fmt.Errorf("upsert score of %s: %w", r.ProfileID, err)
		}
	}
	return nil
}

// FindScore returns the profile's score, or ENOTFOUND.
func (s *Store) FindScore(ctx context.Context, profileID string) (*rapport.ScoreRecord, error) {
	r, err := scanScore(s.read.QueryRowContext(ctx, `SELECT `+scoreColumns+` FROM scores WHERE profile_id = ?`, profileID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "profile %s has no score", profileID)
	} else if err != nil {
		return nil, fmt.Errorf("find score of %s: %w", profileID, err)
	}
	return &r, nil
}

// FindScores returns the scores of the profiles that have one, in
// queries of up to identityChunk profiles.
func (s *Store) FindScores(ctx context.Context, profileIDs []string) (map[string]*rapport.ScoreRecord, error) {
	out := make(map[string]*rapport.ScoreRecord, len(profileIDs))
	for lo := 0; lo < len(profileIDs); lo += identityChunk {
		chunk := profileIDs[lo:min(lo+identityChunk, len(profileIDs))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		marks := strings.TrimSuffix(strings.Repeat("?,", len(chunk)), ",")
		records, err := s.queryScores(ctx, `SELECT `+scoreColumns+` FROM scores WHERE profile_id IN (`+marks+`)`, args...)
		if err != nil {
			return nil, err
		}
		for i := range records {
			out[records[i].ProfileID] = &records[i]
		}
	}
	return out, nil
}

// leadFilterSQL matches LeadFilter; the grade and stage lists are bound as
// JSON arrays, '[]' for no constraint.
const leadFilterSQL = ` FROM scores WHERE (?1 = '[]' OR grade IN (SELECT value FROM json_each(?1)))
	AND (?2 = '[]' OR stage IN (SELECT value FROM json_each(?2))) AND engagement >= ?3`

// FindLeads returns a page of scores matching filter, highest priority
// first, then by profile id, and how many match in all.
func (s *Store) FindLeads(ctx context.Context, filter rapport.LeadFilter) ([]rapport.ScoreRecord, int, error) {
	grades, stages := storecodec.LeadLists(filter)
	g, err := json.Marshal(grades)
	if err != nil {
		return nil, 0, fmt.Errorf("find leads: %w", err)
	}
	st, err := json.Marshal(stages)
	if err != nil {
		return nil, 0, fmt.Errorf("find leads: %w", err)
	}
	args := []any{string(g), string(st), filter.MinEngagement}
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*)`+leadFilterSQL, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count leads: %w", err)
	}
	limit, offset := storecodec.LeadLimit(filter)
	leads, err := s.queryScores(ctx, `SELECT `+scoreColumns+leadFilterSQL+
		` ORDER BY priority DESC, profile_id LIMIT ?4 OFFSET ?5`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, err
	}
	return leads, total, nil
}

// queryScores runs a query of scoreColumns.
func (s *Store) queryScores(ctx context.Context, query string, args ...any) ([]rapport.ScoreRecord, error) {
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("find scores: %w", err)
	}
	defer rows.Close()
	out := []rapport.ScoreRecord{}
	for rows.Next() {
		r, err := scanScore(rows)
		if err != nil {
			return nil, fmt.Errorf("find scores: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find scores: %w", err)
	}
	return out, nil
}

// scanScore reads one row of scoreColumns.
func scanScore(row scanner) (rapport.ScoreRecord, error) {
	var r rapport.ScoreRecord
	var state, result []byte
	var updated *int64
	if err := row.Scan(&r.ProfileID, &r.Fit, &r.Grade, &r.Engagement, &r.Stage, &r.Priority,
		&state, &result, &updated); err != nil {
		return r, err
	}
	r.State, r.Result, r.UpdatedAt = state, result, storecodec.FromNanos(updated)
	return r, nil
}

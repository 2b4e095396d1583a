package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
)

const scoreColumns = `profile_id, fit, grade, engagement, stage, priority, state, result, updated_at`

// queueScores writes each score whole.
func queueScores(b *pgx.Batch, scores []rapport.ScoreRecord) {
	for i := range scores {
		r := &scores[i]
		b.Queue(`INSERT INTO scores (`+scoreColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
			ON CONFLICT (profile_id) DO UPDATE SET fit = excluded.fit, grade = excluded.grade,
				engagement = excluded.engagement, stage = excluded.stage, priority = excluded.priority,
				state = excluded.state, result = excluded.result, updated_at = excluded.updated_at`,
			text(r.ProfileID), r.Fit, text(r.Grade), r.Engagement, text(r.Stage), r.Priority,
			jsonb(storecodec.ScoreJSON(r.State)), jsonb(storecodec.ScoreJSON(r.Result)), storecodec.NullNanos(r.UpdatedAt))
	}
}

// FindScore returns the profile's score, or ENOTFOUND.
func (s *Store) FindScore(ctx context.Context, profileID string) (*rapport.ScoreRecord, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+scoreColumns+` FROM scores WHERE profile_id = $1`, text(profileID))
	r, err := pgx.CollectExactlyOneRow(rows, scanScore)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "profile %s has no score", profileID)
	} else if err != nil {
		return nil, fmt.Errorf("find score of %s: %w", profileID, err)
	}
	return &r, nil
}

// FindScores returns the scores of the profiles that have one, in one
// query.
func (s *Store) FindScores(ctx context.Context, profileIDs []string) (map[string]*rapport.ScoreRecord, error) {
	out := make(map[string]*rapport.ScoreRecord, len(profileIDs))
	if len(profileIDs) == 0 {
		return out, nil
	}
	ids := make([]string, len(profileIDs))
	for i, id := range profileIDs {
		ids[i] = text(id)
	}
	rows, _ := s.pool.Query(ctx, `SELECT `+scoreColumns+` FROM scores WHERE profile_id = ANY($1)`, ids)
	records, err := pgx.CollectRows(rows, scanScore)
	if err != nil {
		return nil, fmt.Errorf("find scores: %w", err)
	}
	for i := range records {
		out[records[i].ProfileID] = &records[i]
	}
	return out, nil
}

// leadFilterSQL matches LeadFilter; an empty grade or stage list does not
// constrain.
const leadFilterSQL = ` FROM scores WHERE (cardinality($1::text[]) = 0 OR grade = ANY($1))
	AND (cardinality($2::text[]) = 0 OR stage = ANY($2)) AND engagement >= $3`

// FindLeads returns a page of scores matching filter, highest priority
// first, then by profile id, and how many match in all.
func (s *Store) FindLeads(ctx context.Context, filter rapport.LeadFilter) ([]rapport.ScoreRecord, int, error) {
	grades, stages := storecodec.LeadLists(filter)
	args := []any{texts(grades), texts(stages), filter.MinEngagement}
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*)`+leadFilterSQL, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count leads: %w", err)
	}
	limit, offset := storecodec.LeadLimit(filter)
	rows, _ := s.pool.Query(ctx, `SELECT `+scoreColumns+leadFilterSQL+
		` ORDER BY priority DESC, profile_id LIMIT $4 OFFSET $5`, append(args, limit, offset)...)
	leads, err := pgx.CollectRows(rows, scanScore)
	if err != nil {
		return nil, 0, fmt.Errorf("find leads: %w", err)
	}
	if leads == nil {
		leads = []rapport.ScoreRecord{}
	}
	return leads, total, nil
}

// texts passes each string through text.
func texts(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = text(s)
	}
	return out
}

// scanScore reads one row of scoreColumns.
func scanScore(row pgx.CollectableRow) (rapport.ScoreRecord, error) {
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

package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/rapportdev/rapport"
)

// PutModel stores m as the next version of its kind.
func (s *Store) PutModel(ctx context.Context, m rapport.ModelVersion) (rapport.ModelVersion, error) {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return m, fmt.Errorf("put %s model: %w", m.Kind, err)
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) + 1 FROM models WHERE kind = ?`,
		m.Kind).Scan(&m.Version); err != nil {
		return m, fmt.Errorf("put %s model: %w", m.Kind, err)
	}
	m.CreatedAt = time.Now().UTC()
	if _, err := tx.ExecContext(ctx, `INSERT INTO models (kind, version, body, source, digest, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, m.Kind, m.Version, m.Body, m.Source, m.Digest, m.CreatedAt.UnixNano()); err != nil {
		return m, fmt.Errorf("put %s model: %w", m.Kind, err)
	}
	if err := tx.Commit(); err != nil {
		return m, fmt.Errorf("put %s model: commit: %w", m.Kind, err)
	}
	return m, nil
}

const modelColumns = `kind, version, body, source, digest, created_at`

// CurrentModel returns the newest version of kind, or ENOTFOUND.
func (s *Store) CurrentModel(ctx context.Context, kind string) (*rapport.ModelVersion, error) {
	m, err := scanModel(s.read.QueryRowContext(ctx, `SELECT `+modelColumns+` FROM models
		WHERE kind = ? ORDER BY version DESC LIMIT 1`, kind))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "no %s model stored", kind)
	} else if err != nil {
		return nil, fmt.Errorf("find %s model: %w", kind, err)
	}
	return &m, nil
}

// ListModels returns the versions of kind, newest first.
func (s *Store) ListModels(ctx context.Context, kind string) ([]rapport.ModelVersion, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+modelColumns+` FROM models WHERE kind = ? ORDER BY version DESC`, kind)
	if err != nil {
		return nil, fmt.Errorf("list %s models: %w", kind, err)
	}
	defer rows.Close()
	out := []rapport.ModelVersion{}
	for rows.Next() {
		m, err := scanModel(rows)
		if err != nil {
			return nil, fmt.Errorf("list %s models: %w", kind, err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list %s models: %w", kind, err)
	}
	return out, nil
}

func scanModel(row scanner) (rapport.ModelVersion, error) {
	var m rapport.ModelVersion
	var created int64
	if err := row.Scan(&m.Kind, &m.Version, &m.Body, &m.Source, &m.Digest, &created); err != nil {
		return m, err
	}
	m.CreatedAt = time.Unix(0, created).UTC()
	return m, nil
}

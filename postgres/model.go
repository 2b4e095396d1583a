package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rapportdev/rapport"
)

// PutModel stores m as the next version of its kind. Two writers racing
// for the same number collide on the primary key, and one gets an error
// rather than both the same version.
func (s *Store) PutModel(ctx context.Context, m rapport.ModelVersion) (rapport.ModelVersion, error) {
	m.CreatedAt = time.Now().UTC()
	err := s.pool.QueryRow(ctx, `INSERT INTO models (kind, version, body, source, digest, created_at)
		SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4, $5 FROM models WHERE kind = $1
		RETURNING version`, text(m.Kind), m.Body, text(m.Source), text(m.Digest), m.CreatedAt.UnixNano()).Scan(&m.Version)
	if err != nil {
		return m, fmt.Errorf("put %s model: %w", m.Kind, err)
	}
	return m, nil
}

const modelColumns = `kind, version, body, source, digest, created_at`

// CurrentModel returns the newest version of kind, or ENOTFOUND.
func (s *Store) CurrentModel(ctx context.Context, kind string) (*rapport.ModelVersion, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+modelColumns+` FROM models WHERE kind = $1 ORDER BY version DESC LIMIT 1`, text(kind))
	m, err := pgx.CollectExactlyOneRow(rows, scanModel)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "no %s model stored", kind)
	} else if err != nil {
		return nil, fmt.Errorf("find %s model: %w", kind, err)
	}
	return &m, nil
}

// ListModels returns the versions of kind, newest first.
func (s *Store) ListModels(ctx context.Context, kind string) ([]rapport.ModelVersion, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+modelColumns+` FROM models WHERE kind = $1 ORDER BY version DESC`, text(kind))
	out, err := pgx.CollectRows(rows, scanModel)
	if err != nil {
		return nil, fmt.Errorf("list %s models: %w", kind, err)
	}
	return out, nil
}

func scanModel(row pgx.CollectableRow) (rapport.ModelVersion, error) {
	var m rapport.ModelVersion
	var created int64
	if err := row.Scan(&m.Kind, &m.Version, &m.Body, &m.Source, &m.Digest, &created); err != nil {
		return m, err
	}
	m.CreatedAt = time.Unix(0, created).UTC()
	return m, nil
}

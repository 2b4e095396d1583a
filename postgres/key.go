package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
)

// CreateKey stores k, filling in a missing ID and CreatedAt. It returns
// ECONFLICT when a key with the same hash or id exists.
func (s *Store) CreateKey(ctx context.Context, k *rapport.Key) error {
	if err := storecodec.PrepareKey(k); err != nil {
		return err
	}
	tag, err := s.pool.Exec(ctx, `INSERT INTO keys (id, kind, name, hash, created_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
		text(k.ID), text(string(k.Kind)), text(k.Name), text(k.Hash), storecodec.NullNanos(k.CreatedAt))
	if err != nil {
		return fmt.Errorf("create key: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return rapport.Errorf(rapport.ECONFLICT, "key already exists")
	}
	return nil
}

// FindKeys returns every key, oldest first.
func (s *Store) FindKeys(ctx context.Context) ([]*rapport.Key, error) {
	rows, _ := s.pool.Query(ctx, `SELECT id, kind, name, hash, created_at FROM keys ORDER BY created_at, id`)
	keys := []*rapport.Key{}
	var k rapport.Key
	var created *int64
	_, err := pgx.ForEachRow(rows, []any{&k.ID, &k.Kind, &k.Name, &k.Hash, &created}, func() error {
		k.CreatedAt = storecodec.FromNanos(created)
		c := k
		keys = append(keys, &c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find keys: %w", err)
	}
	return keys, nil
}

// DeleteKey revokes a key; ENOTFOUND when unknown.
func (s *Store) DeleteKey(ctx context.Context, id string) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM keys WHERE id = $1`, text(id))
	if err != nil {
		return fmt.Errorf("delete key: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return rapport.Errorf(rapport.ENOTFOUND, "key %s not found", id)
	}
	return nil
}

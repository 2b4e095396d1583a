package sqlite

import (
	"context"
	"fmt"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
)

// CreateKey stores k, filling in a missing ID and CreatedAt. It returns
// ECONFLICT when a key with the same hash or id exists.
func (s *Store) CreateKey(ctx context.Context, k *rapport.Key) error {
	if err := storecodec.PrepareKey(k); err != nil {
		return err
	}
	res, err := s.write.ExecContext(ctx, `INSERT INTO keys (id, kind, name, hash, created_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		k.ID, string(k.Kind), k.Name, k.Hash, storecodec.NullNanos(k.CreatedAt))
	if err != nil {
		return fmt.Errorf("create key: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("create key: %w", err)
	} else if n == 0 {
		return rapport.Errorf(rapport.ECONFLICT, "key already exists")
	}
	return nil
}

// FindKeys returns every key, oldest first.
func (s *Store) FindKeys(ctx context.Context) ([]*rapport.Key, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, kind, name, hash, created_at FROM keys
		ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("find keys: %w", err)
	}
	defer rows.Close()
	keys := []*rapport.Key{}
	for rows.Next() {
		var k rapport.Key
		var created *int64
		if err := rows.Scan(&k.ID, &k.Kind, &k.Name, &k.Hash, &created); err != nil {
			return nil, fmt.Errorf("find keys: %w", err)
		}
		k.CreatedAt = storecodec.FromNanos(created)
		keys = append(keys, &k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find keys: %w", err)
	}
	return keys, nil
}

// DeleteKey revokes a key; ENOTFOUND when unknown.
func (s *Store) DeleteKey(ctx context.Context, id string) error {
	res, err := s.write.ExecContext(ctx, `DELETE FROM keys WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete key: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("delete key: %w", err)
	} else if n == 0 {
		return rapport.Errorf(rapport.ENOTFOUND, "key %s not found", id)
	}
	return nil
}

package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/rapportdev/rapport"
)

// DeleteProfile erases a person in one transaction: the events sent with
// its userId and anonymousId identities, its orders, the merges that name
// it, its identities and the profile. It returns the receipt, or ENOTFOUND.
func (s *Store) DeleteProfile(ctx context.Context, id string) (*rapport.Erasure, error) {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("delete profile: %w", err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM profiles WHERE id = ?`, id).Scan(&n); err != nil {
		return nil, fmt.Errorf("delete profile: %w", err)
	} else if n == 0 {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "profile %s not found", id)
	}
	e := &rapport.Erasure{ProfileID: id}
	if e.Identities, err = txIdentities(ctx, tx, id); err != nil {
		return nil, err
	}
	for _, d := range []struct {
		query string
		count *int64
	}{
		{`DELETE FROM events WHERE seq IN (` + profileEventsSQL + `)`, &e.Events},
		{`DELETE FROM orders WHERE profile_id = ?1`, &e.Orders},
		{`DELETE FROM merges WHERE from_id = ?1 OR into_id = ?1`, &e.Merges},
		{`DELETE FROM identities WHERE profile_id = ?1`, nil},
		{`DELETE FROM profiles WHERE id = ?1`, nil},
	} {
		res, err := tx.ExecContext(ctx, d.query, id)
		if err != nil {
			return nil, fmt.Errorf("delete profile %s: %w", id, err)
		}
		if d.count != nil {
			if *d.count, err = res.RowsAffected(); err != nil {
				return nil, fmt.Errorf("delete profile %s: %w", id, err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("delete profile %s: commit: %w", id, err)
	}
	e.ErasedAt = time.Now().UTC()
	return e, nil
}

// txIdentities returns the profile's identities sorted by kind and value.
func txIdentities(ctx context.Context, tx *sql.Tx, id string) ([]rapport.Identity, error) {
	rows, err := tx.QueryContext(ctx, `SELECT kind, value FROM identities
		WHERE profile_id = ? ORDER BY kind, value`, id)
	if err != nil {
		return nil, fmt.Errorf("delete profile %s: %w", id, err)
	}
	defer rows.Close()
	ids := []rapport.Identity{}
	for rows.Next() {
		var i rapport.Identity
		if err := rows.Scan(&i.Kind, &i.Value); err != nil {
			return nil, fmt.Errorf("delete profile %s: %w", id, err)
		}
		ids = append(ids, i)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("delete profile %s: %w", id, err)
	}
	return ids, nil
}

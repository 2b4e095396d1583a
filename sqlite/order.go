package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/rapportdev/rapport"
)

// FindOrders returns the profile's order ledger, oldest first.
func (s *Store) FindOrders(ctx context.Context, profileID string) ([]rapport.Order, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT profile_id, body FROM orders
		WHERE profile_id = ? ORDER BY at ASC NULLS FIRST, order_id`, profileID)
	if err != nil {
		return nil, fmt.Errorf("find orders: %w", err)
	}
	defer rows.Close()
	orders := []rapport.Order{}
	for rows.Next() {
		var o rapport.Order
		var body []byte
		if err := rows.Scan(&o.ProfileID, &body); err != nil {
			return nil, fmt.Errorf("find orders: %w", err)
		}
		// The column wins over the body: a merge re-points the row only.
		id := o.ProfileID
		if err := json.Unmarshal(body, &o); err != nil {
			return nil, fmt.Errorf("decode order: %w", err)
		}
		o.ProfileID, o.At = id, o.At.UTC()
		orders = append(orders, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find orders: %w", err)
	}
	return orders, nil
}

// FindMerges returns the merges into or out of the profile, oldest first.
func (s *Store) FindMerges(ctx context.Context, profileID string) ([]rapport.Merge, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT from_id, into_id, at, reason, message_id FROM merges
		WHERE from_id = ?1 OR into_id = ?1 ORDER BY at ASC NULLS FIRST, id`, profileID)
	if err != nil {
		return nil, fmt.Errorf("find merges: %w", err)
	}
	defer rows.Close()
	merges := []rapport.Merge{}
	for rows.Next() {
		var m rapport.Merge
		var at sql.NullInt64
		if err := rows.Scan(&m.From, &m.Into, &at, &m.Reason, &m.MessageID); err != nil {
			return nil, fmt.Errorf("find merges: %w", err)
		}
		m.At = fromNanos(at)
		merges = append(merges, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find merges: %w", err)
	}
	return merges, nil
}

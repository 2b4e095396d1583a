package sqlite

import (
	"context"
	"fmt"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
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
		var id string
		var body []byte
		if err := rows.Scan(&id, &body); err != nil {
			return nil, fmt.Errorf("find orders: %w", err)
		}
		o, err := storecodec.DecodeOrder(id, body)
		if err != nil {
			return nil, err
		}
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
		var at *int64
		if err := rows.Scan(&m.From, &m.Into, &at, &m.Reason, &m.MessageID); err != nil {
			return nil, fmt.Errorf("find merges: %w", err)
		}
		m.At = storecodec.FromNanos(at)
		merges = append(merges, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find merges: %w", err)
	}
	return merges, nil
}

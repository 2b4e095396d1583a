package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
)

// FindOrders returns the profile's order ledger, oldest first.
func (s *Store) FindOrders(ctx context.Context, profileID string) ([]rapport.Order, error) {
	rows, _ := s.pool.Query(ctx, `SELECT profile_id, body FROM orders
		WHERE profile_id = $1 ORDER BY at ASC NULLS FIRST, order_id`, text(profileID))
	orders := []rapport.Order{}
	var id string
	var body []byte
	_, err := pgx.ForEachRow(rows, []any{&id, &body}, func() error {
		o, err := storecodec.DecodeOrder(id, body)
		if err != nil {
			return err
		}
		orders = append(orders, o)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find orders: %w", err)
	}
	return orders, nil
}

// FindMerges returns the merges into or out of the profile, oldest first.
func (s *Store) FindMerges(ctx context.Context, profileID string) ([]rapport.Merge, error) {
	rows, _ := s.pool.Query(ctx, `SELECT from_id, into_id, at, reason, message_id FROM merges
		WHERE from_id = $1 OR into_id = $1 ORDER BY at ASC NULLS FIRST, id`, text(profileID))
	merges := []rapport.Merge{}
	var m rapport.Merge
	var at *int64
	_, err := pgx.ForEachRow(rows, []any{&m.From, &m.Into, &at, &m.Reason, &m.MessageID}, func() error {
		m.At = storecodec.FromNanos(at)
		merges = append(merges, m)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find merges: %w", err)
	}
	return merges, nil
}

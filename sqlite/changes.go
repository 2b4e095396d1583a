package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
)

// Checkpoint returns the Seq of the last applied event, 0 when none.
func (s *Store) Checkpoint(ctx context.Context) (int64, error) {
	var seq int64
	if err := s.read.QueryRowContext(ctx, `SELECT seq FROM checkpoint WHERE id = 1`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("read checkpoint: %w", err)
	}
	return seq, nil
}

// ApplyChanges writes changes and the new checkpoint in one transaction:
// the events (skipping those stored already), merges in order, then
// profiles, identities, orders and scores, then the deliveries of the
// notifications. It returns ECONFLICT, writing nothing,
// when the stored checkpoint is not changes.Base, and EINVALID for
// changes that name no profile.
func (s *Store) ApplyChanges(ctx context.Context, c rapport.Changes) error {
	if err := storecodec.CheckChanges(&c); err != nil {
		return err
	}
	// Encode before taking the write lock, so other writers wait less.
	bodies, err := storecodec.EncodeEvents(c.Events, storecodec.Serial)
	if err != nil {
		return fmt.Errorf("apply changes: %w", err)
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("apply changes: %w", err)
	}
	defer tx.Rollback()
	steps := []func(context.Context, *sql.Tx, *rapport.Changes) error{
		moveCheckpoint,
		func(ctx context.Context, tx *sql.Tx, c *rapport.Changes) error {
			return insertEvents(ctx, tx, c.Events, bodies)
		},
		applyMerges, upsertProfiles, upsertIdentities, insertOrders, upsertScores, applyMemberships,
		func(ctx context.Context, tx *sql.Tx, c *rapport.Changes) error {
			return enqueue(ctx, tx, c.Notifications)
		},
	}
	for _, step := range steps {
		if err := step(ctx, tx, &c); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("apply changes: commit: %w", err)
	}
	return nil
}

// moveCheckpoint sets the checkpoint, or fails with ECONFLICT when it is
// not at c.Base. It runs first, so a conflict writes nothing.
func moveCheckpoint(ctx context.Context, tx *sql.Tx, c *rapport.Changes) error {
	res, err := tx.ExecContext(ctx, `UPDATE checkpoint SET seq = ? WHERE id = 1 AND seq = ?`, c.Checkpoint, c.Base)
	if err != nil {
		return fmt.Errorf("apply changes: checkpoint: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("apply changes: checkpoint: %w", err)
	} else if n == 0 {
		return rapport.Errorf(rapport.ECONFLICT, "checkpoint has moved past %d", c.Base)
	}
	return nil
}

// mergeSQL moves everything of profile ?1 to profile ?2 and deletes ?1,
// its score (the survivor keeps its own; see docs/scoring.md) and its
// memberships (the processor evaluates the survivor's). An
// order Into already holds stays as Into has it.
var mergeSQL = []string{
	`UPDATE identities SET profile_id = ?2 WHERE profile_id = ?1`,
	`UPDATE orders SET profile_id = ?2 WHERE profile_id = ?1
		AND order_id NOT IN (SELECT order_id FROM orders WHERE profile_id = ?2)`,
	`DELETE FROM orders WHERE profile_id = ?1`,
	`DELETE FROM scores WHERE profile_id = ?1`,
	`DELETE FROM segment_members WHERE profile_id = ?1`,
	// Offer decisions and outcomes count for the survivor: its
	// suppression, caps and funnel, and its erasure (docs/offers.md).
	`UPDATE offer_decisions SET profile_id = ?2 WHERE profile_id = ?1`,
	`UPDATE offer_outcomes SET profile_id = ?2 WHERE profile_id = ?1`,
	`DELETE FROM profiles WHERE id = ?1`,
}

// applyMerges folds each From profile into its Into, in order, and
// records the merge.
func applyMerges(ctx context.Context, tx *sql.Tx, c *rapport.Changes) error {
	for _, m := range c.Merges {
		for _, q := range mergeSQL {
			if _, err := tx.ExecContext(ctx, q, m.From, m.Into); err != nil {
				return fmt.Errorf("merge %s into %s: %w", m.From, m.Into, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO merges (from_id, into_id, at, reason, message_id)
			VALUES (?, ?, ?, ?, ?)`, m.From, m.Into, storecodec.NullNanos(m.At), m.Reason, m.MessageID); err != nil {
			return fmt.Errorf("merge %s into %s: %w", m.From, m.Into, err)
		}
	}
	return nil
}

// upsertProfiles writes each profile whole.
func upsertProfiles(ctx context.Context, tx *sql.Tx, c *rapport.Changes) error {
	if len(c.Profiles) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO profiles (`+profileColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, traits = excluded.traits,
			trait_times = excluded.trait_times, group_ids = excluded.group_ids,
			aggregates = excluded.aggregates, consents = excluded.consents, created_at = excluded.created_at,
			updated_at = excluded.updated_at`)
	if err != nil {
		return fmt.Errorf("upsert profiles: %w", err)
	}
	defer stmt.Close()
	for _, p := range c.Profiles {
		r, err := storecodec.EncodeProfile(p)
		if err != nil {
			return err
		}
		// The JSON goes in as text, so the columns read as JSON (SQLite
		// would take a BLOB for JSONB).
		if _, err := stmt.ExecContext(ctx, p.ID, string(p.Kind), string(r.Traits), string(r.TraitTimes),
			string(r.Groups), string(r.Aggregates), string(r.Consents), r.CreatedAt, r.UpdatedAt); err != nil {
			return fmt.Errorf("upsert profile %s: %w", p.ID, err)
		}
	}
	return nil
}

// upsertIdentities points each identity at its profile.
func upsertIdentities(ctx context.Context, tx *sql.Tx, c *rapport.Changes) error {
	if len(c.Identities) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO identities (kind, value, profile_id) VALUES (?, ?, ?)
		ON CONFLICT (kind, value) DO UPDATE SET profile_id = excluded.profile_id`)
	if err != nil {
		return fmt.Errorf("upsert identities: %w", err)
	}
	defer stmt.Close()
	for _, l := range c.Identities {
		if _, err := stmt.ExecContext(ctx, string(l.Identity.Kind), l.Identity.Value, l.ProfileID); err != nil {
			return fmt.Errorf("upsert identity %s: %w", l.Identity, err)
		}
	}
	return nil
}

// insertOrders adds orders to the ledger, leaving any already present.
func insertOrders(ctx context.Context, tx *sql.Tx, c *rapport.Changes) error {
	if len(c.Orders) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO orders
		(profile_id, order_id, message_id, at, revenue, cost, currency, channel, body)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (profile_id, order_id) DO NOTHING`)
	if err != nil {
		return fmt.Errorf("insert orders: %w", err)
	}
	defer stmt.Close()
	for i := range c.Orders {
		o := &c.Orders[i]
		body, err := storecodec.EncodeOrder(*o)
		if err != nil {
			return err
		}
		if _, err := stmt.ExecContext(ctx, o.ProfileID, o.OrderID, o.MessageID, storecodec.NullNanos(o.At),
			o.Revenue, o.Cost, o.Currency, o.Channel, string(body)); err != nil {
			return fmt.Errorf("insert order %s: %w", o.OrderID, err)
		}
	}
	return nil
}

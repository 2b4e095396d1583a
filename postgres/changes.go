package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
)

// Checkpoint returns the Seq of the last applied event, 0 when none.
func (s *Store) Checkpoint(ctx context.Context) (int64, error) {
	var seq int64
	if err := s.pool.QueryRow(ctx, `SELECT seq FROM checkpoint WHERE id = 1`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("read checkpoint: %w", err)
	}
	return seq, nil
}

// ApplyChanges writes changes and the new checkpoint in one transaction:
// the events (skipping those stored already), merges in order, then
// profiles, identities, orders and scores, then the deliveries of the
// notifications, sent as one pipelined batch. It
// returns ECONFLICT, writing nothing, when the stored checkpoint is not
// changes.Base, and EINVALID for changes that name no profile.
func (s *Store) ApplyChanges(ctx context.Context, c rapport.Changes) error {
	if err := storecodec.CheckChanges(&c); err != nil {
		return err
	}
	return s.applyChanges(ctx, c, func(tx pgx.Tx) error {
		// The row lock taken here also makes a concurrent ApplyChanges
		// wait, then see the moved checkpoint and fail.
		tag, err := tx.Exec(ctx, `UPDATE checkpoint SET seq = $1 WHERE id = 1 AND seq = $2`, c.Checkpoint, c.Base)
		if err != nil {
			return err
		} else if tag.RowsAffected() == 0 {
			return rapport.Errorf(rapport.ECONFLICT, "checkpoint has moved past %d", c.Base)
		}
		return nil
	})
}

// applyChanges writes checked changes in one transaction that first runs
// fence, which moves the checkpoint or refuses the changes.
func (s *Store) applyChanges(ctx context.Context, c rapport.Changes, fence func(pgx.Tx) error) error {
	b := &pgx.Batch{}
	if err := queueEvents(b, c.Events); err != nil {
		return fmt.Errorf("apply changes: %w", err)
	}
	queueMerges(b, c.Merges)
	if err := queueProfiles(b, c.Profiles); err != nil {
		return err
	}
	queueIdentities(b, c.Identities)
	if err := queueOrders(b, c.Orders); err != nil {
		return err
	}
	queueScores(b, c.Scores)
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := fence(tx); err != nil {
			return err
		}
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		notes, err := applyMemberships(ctx, tx, c.Memberships)
		if err != nil {
			return err
		}
		// The webhooks are read after the checkpoint row is locked, in
		// the same transaction as the changes.
		nb := &pgx.Batch{}
		if err := queueNotifications(ctx, tx, nb, append(c.Notifications, notes...)); err != nil {
			return err
		}
		return tx.SendBatch(ctx, nb).Close()
	})
	if err != nil {
		return fmt.Errorf("apply changes: %w", err)
	}
	return nil
}

// queueMerges folds each From profile into its Into, in order, deletes
// From's score (the survivor keeps its own) and memberships (the
// processor evaluates the survivor's) and records the merge. An order Into already holds stays as Into has it.
func queueMerges(b *pgx.Batch, merges []rapport.Merge) {
	for _, m := range merges {
		from, into := text(m.From), text(m.Into)
		b.Queue(`UPDATE identities SET profile_id = $2 WHERE profile_id = $1`, from, into)
		b.Queue(`UPDATE orders SET profile_id = $2 WHERE profile_id = $1
			AND order_id NOT IN (SELECT order_id FROM orders WHERE profile_id = $2)`, from, into)
		b.Queue(`DELETE FROM orders WHERE profile_id = $1`, from)
		b.Queue(`DELETE FROM scores WHERE profile_id = $1`, from)
		b.Queue(`DELETE FROM segment_members WHERE profile_id = $1`, from)
		// Offer decisions and outcomes count for the survivor: its
		// suppression, caps and funnel, and its erasure (docs/offers.md).
		b.Queue(`UPDATE offer_decisions SET profile_id = $2 WHERE profile_id = $1`, from, into)
		b.Queue(`UPDATE offer_outcomes SET profile_id = $2 WHERE profile_id = $1`, from, into)
		b.Queue(`DELETE FROM profiles WHERE id = $1`, from)
		b.Queue(`INSERT INTO merges (from_id, into_id, at, reason, message_id) VALUES ($1, $2, $3, $4, $5)`,
			from, into, storecodec.NullNanos(m.At), text(m.Reason), text(m.MessageID))
	}
}

// queueProfiles writes each profile whole.
func queueProfiles(b *pgx.Batch, profiles []*rapport.Profile) error {
	for _, p := range profiles {
		r, err := storecodec.EncodeProfile(p)
		if err != nil {
			return err
		}
		b.Queue(`INSERT INTO profiles (`+profileColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
			ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, traits = excluded.traits,
				trait_times = excluded.trait_times, group_ids = excluded.group_ids,
				aggregates = excluded.aggregates, consents = excluded.consents, created_at = excluded.created_at,
				updated_at = excluded.updated_at`,
			text(p.ID), text(string(p.Kind)), jsonb(r.Traits), jsonb(r.TraitTimes), jsonb(r.Groups),
			jsonb(r.Aggregates), jsonb(r.Consents), r.CreatedAt, r.UpdatedAt)
	}
	return nil
}

// queueIdentities points each identity at its profile.
func queueIdentities(b *pgx.Batch, links []rapport.IdentityLink) {
	for _, l := range links {
		b.Queue(`INSERT INTO identities (kind, value, profile_id) VALUES ($1, $2, $3)
			ON CONFLICT (kind, value) DO UPDATE SET profile_id = excluded.profile_id`,
			text(string(l.Identity.Kind)), text(l.Identity.Value), text(l.ProfileID))
	}
}

// queueOrders adds orders to the ledger, leaving any already present.
func queueOrders(b *pgx.Batch, orders []rapport.Order) error {
	for i := range orders {
		o := &orders[i]
		body, err := storecodec.EncodeOrder(*o)
		if err != nil {
			return err
		}
		b.Queue(`INSERT INTO orders (profile_id, order_id, message_id, at, revenue, cost, currency, channel, body)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (profile_id, order_id) DO NOTHING`,
			text(o.ProfileID), text(o.OrderID), text(o.MessageID), storecodec.NullNanos(o.At), o.Revenue, o.Cost,
			text(o.Currency), text(o.Channel), jsonb(body))
	}
	return nil
}

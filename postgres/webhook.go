package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
)

// webhookColumns are the columns findWebhooks reads, in order.
const webhookColumns = `id, url, secret, events, requires_consent, active, created_at`

// deliveryColumns are the columns findDeliveries reads, in order.
const deliveryColumns = `id, webhook_id, notification, attempts, next_attempt_at, delivered_at,
	last_status, last_error, state, consent`

// querier is what both a pool and a transaction offer.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// CreateWebhook validates and stores w, filling in a missing ID and
// CreatedAt. EINVALID for an invalid webhook, ECONFLICT when the id is
// taken.
func (s *Store) CreateWebhook(ctx context.Context, w *rapport.Webhook) error {
	if err := storecodec.PrepareWebhook(w); err != nil {
		return err
	}
	events, err := storecodec.EncodeWebhookEvents(w.Events)
	if err != nil {
		return err
	}
	tag, err := s.pool.Exec(ctx, `INSERT INTO webhooks (`+webhookColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
		text(w.ID), text(w.URL), w.Secret, jsonb([]byte(events)), text(w.RequiresConsent), w.Active,
		storecodec.NullNanos(w.CreatedAt))
	if err != nil {
		return fmt.Errorf("create webhook: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return rapport.Errorf(rapport.ECONFLICT, "webhook %s already exists", w.ID)
	}
	return nil
}

// FindWebhooks returns every webhook, oldest first, with its secret.
func (s *Store) FindWebhooks(ctx context.Context) ([]*rapport.Webhook, error) {
	return findWebhooks(ctx, s.pool)
}

// findWebhooks reads every webhook through q, oldest first.
func findWebhooks(ctx context.Context, q querier) ([]*rapport.Webhook, error) {
	rows, _ := q.Query(ctx, `SELECT `+webhookColumns+` FROM webhooks ORDER BY created_at, id`)
	hooks := []*rapport.Webhook{}
	var w rapport.Webhook
	var events []byte
	var created *int64
	_, err := pgx.ForEachRow(rows, []any{&w.ID, &w.URL, &w.Secret, &events, &w.RequiresConsent, &w.Active, &created}, func() error {
		var err error
		c := w
		if c.Events, err = storecodec.DecodeWebhookEvents(events); err != nil {
			return err
		}
		c.CreatedAt = storecodec.FromNanos(created)
		hooks = append(hooks, &c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find webhooks: %w", err)
	}
	return hooks, nil
}

// DeleteWebhook removes a webhook and its deliveries; ENOTFOUND when
// unknown.
func (s *Store) DeleteWebhook(ctx context.Context, id string) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM webhooks WHERE id = $1`, text(id))
		if err != nil {
			return err
		} else if tag.RowsAffected() == 0 {
			return rapport.Errorf(rapport.ENOTFOUND, "webhook %s not found", id)
		}
		_, err = tx.Exec(ctx, `DELETE FROM deliveries WHERE webhook_id = $1`, text(id))
		return err
	})
	if err != nil {
		return fmt.Errorf("delete webhook: %w", err)
	}
	return nil
}

// EnqueueNotifications queues a delivery per notification and subscribed
// active webhook, in one transaction.
func (s *Store) EnqueueNotifications(ctx context.Context, ns []rapport.Notification) error {
	if err := storecodec.CheckNotifications(ns); err != nil {
		return err
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		if err := queueNotifications(ctx, tx, b, ns); err != nil {
			return err
		}
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return fmt.Errorf("enqueue notifications: %w", err)
	}
	return nil
}

// queueNotifications reads the webhooks in tx and queues the deliveries
// of ns on b.
func queueNotifications(ctx context.Context, tx pgx.Tx, b *pgx.Batch, ns []rapport.Notification) error {
	if len(ns) == 0 {
		return nil
	}
	hooks, err := findWebhooks(ctx, tx)
	if err != nil {
		return err
	}
	out, err := storecodec.FanOut(hooks, ns)
	if err != nil {
		return err
	}
	for _, o := range out {
		b.Queue(`INSERT INTO deliveries (webhook_id, notification, state, consent) VALUES ($1, $2, $3, $4)`,
			text(o.WebhookID), jsonb(o.Notification), rapport.DeliveryPending, o.Consent)
	}
	return nil
}

// FindDueDeliveries returns up to limit pending deliveries due at now,
// the earliest due first.
func (s *Store) FindDueDeliveries(ctx context.Context, now time.Time, limit int) ([]rapport.Delivery, error) {
	return s.findDeliveries(ctx, `SELECT `+deliveryColumns+` FROM deliveries
		WHERE state = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2`,
		storecodec.Nanos(now), storecodec.PageLimit(limit))
}

// FindDeliveries returns a page of the delivery log, newest first.
func (s *Store) FindDeliveries(ctx context.Context, f rapport.DeliveryFilter) ([]rapport.Delivery, error) {
	return s.findDeliveries(ctx, `SELECT `+deliveryColumns+` FROM deliveries
		WHERE ($1 = '' OR webhook_id = $1) AND ($2 = '' OR state = $2)
		ORDER BY id DESC LIMIT $3 OFFSET $4`,
		text(f.WebhookID), text(f.State), storecodec.PageLimit(f.Limit), max(f.Offset, 0))
}

// findDeliveries runs a query over deliveryColumns.
func (s *Store) findDeliveries(ctx context.Context, query string, args ...any) ([]rapport.Delivery, error) {
	rows, _ := s.pool.Query(ctx, query, args...)
	out := []rapport.Delivery{}
	var d rapport.Delivery
	var body []byte
	var next int64
	var delivered *int64
	_, err := pgx.ForEachRow(rows, []any{&d.ID, &d.WebhookID, &body, &d.Attempts, &next, &delivered,
		&d.LastStatus, &d.LastError, &d.State, &d.Consent}, func() error {
		var err error
		c := d
		if c.Notification, err = storecodec.DecodeNotification(body); err != nil {
			return err
		}
		c.NextAttemptAt, c.DeliveredAt = storecodec.FromDueNanos(next), storecodec.FromNanos(delivered)
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find deliveries: %w", err)
	}
	return out, nil
}

// UpdateDelivery records an attempt; ENOTFOUND when the delivery is gone.
func (s *Store) UpdateDelivery(ctx context.Context, d *rapport.Delivery) error {
	if err := storecodec.CheckDelivery(d); err != nil {
		return err
	}
	tag, err := s.pool.Exec(ctx, `UPDATE deliveries SET attempts = $1, next_attempt_at = $2,
		delivered_at = $3, last_status = $4, last_error = $5, state = $6, consent = $7 WHERE id = $8`,
		d.Attempts, storecodec.DueNanos(d.NextAttemptAt), storecodec.NullNanos(d.DeliveredAt),
		d.LastStatus, text(d.LastError), d.State, text(d.Consent), d.ID)
	if err != nil {
		return fmt.Errorf("update delivery %d: %w", d.ID, err)
	}
	if tag.RowsAffected() == 0 {
		return rapport.Errorf(rapport.ENOTFOUND, "delivery %d not found", d.ID)
	}
	return nil
}

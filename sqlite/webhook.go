package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
)

// webhookColumns are the columns scanWebhook reads, in order.
const webhookColumns = `id, url, secret, events, requires_consent, active, created_at`

// deliveryColumns are the columns scanDelivery reads, in order.
const deliveryColumns = `id, webhook_id, notification, attempts, next_attempt_at, delivered_at,
	last_status, last_error, state, consent`

// queryer is what both a pool and a transaction offer.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
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
	res, err := s.write.ExecContext(ctx, `INSERT INTO webhooks (`+webhookColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		w.ID, w.URL, w.Secret, events, w.RequiresConsent, w.Active, storecodec.NullNanos(w.CreatedAt))
	if err != nil {
		return fmt.Errorf("create webhook: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("create webhook: %w", err)
	} else if n == 0 {
		return rapport.Errorf(rapport.ECONFLICT, "webhook %s already exists", w.ID)
	}
	return nil
}

// FindWebhooks returns every webhook, oldest first, with its secret.
func (s *Store) FindWebhooks(ctx context.Context) ([]*rapport.Webhook, error) {
	return findWebhooks(ctx, s.read)
}

// findWebhooks reads every webhook through q, oldest first.
func findWebhooks(ctx context.Context, q queryer) ([]*rapport.Webhook, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+webhookColumns+` FROM webhooks ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("find webhooks: %w", err)
	}
	defer rows.Close()
	hooks := []*rapport.Webhook{}
	for rows.Next() {
		var w rapport.Webhook
		var events []byte
		var created *int64
		if err := rows.Scan(&w.ID, &w.URL, &w.Secret, &events, &w.RequiresConsent, &w.Active, &created); err != nil {
			return nil, fmt.Errorf("find webhooks: %w", err)
		}
		if w.Events, err = storecodec.DecodeWebhookEvents(events); err != nil {
			return nil, err
		}
		w.CreatedAt = storecodec.FromNanos(created)
		hooks = append(hooks, &w)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find webhooks: %w", err)
	}
	return hooks, nil
}

// DeleteWebhook removes a webhook and its deliveries; ENOTFOUND when
// unknown.
func (s *Store) DeleteWebhook(ctx context.Context, id string) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("delete webhook: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `DELETE FROM webhooks WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete webhook: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("delete webhook: %w", err)
	} else if n == 0 {
		return rapport.Errorf(rapport.ENOTFOUND, "webhook %s not found", id)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM deliveries WHERE webhook_id = ?`, id); err != nil {
		return fmt.Errorf("delete webhook: %w", err)
	}
	if err := tx.Commit(); err != nil {
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
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("enqueue notifications: %w", err)
	}
	defer tx.Rollback()
	if err := enqueue(ctx, tx, ns); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("enqueue notifications: %w", err)
	}
	return nil
}

// enqueue writes the deliveries of ns inside tx, reading the webhooks
// under the same write lock.
func enqueue(ctx context.Context, tx *sql.Tx, ns []rapport.Notification) error {
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
		if _, err := tx.ExecContext(ctx, `INSERT INTO deliveries (webhook_id, notification, state, consent)
			VALUES (?, ?, ?, ?)`, o.WebhookID, string(o.Notification), rapport.DeliveryPending, o.Consent); err != nil {
			return fmt.Errorf("enqueue notification: %w", err)
		}
	}
	return nil
}

// FindDueDeliveries returns up to limit pending deliveries due at now,
// the earliest due first.
func (s *Store) FindDueDeliveries(ctx context.Context, now time.Time, limit int) ([]rapport.Delivery, error) {
	return s.findDeliveries(ctx, `SELECT `+deliveryColumns+` FROM deliveries
		WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
		storecodec.Nanos(now), storecodec.PageLimit(limit))
}

// FindDeliveries returns a page of the delivery log, newest first.
func (s *Store) FindDeliveries(ctx context.Context, f rapport.DeliveryFilter) ([]rapport.Delivery, error) {
	return s.findDeliveries(ctx, `SELECT `+deliveryColumns+` FROM deliveries
		WHERE (?1 = '' OR webhook_id = ?1) AND (?2 = '' OR state = ?2)
		ORDER BY id DESC LIMIT ?3 OFFSET ?4`,
		f.WebhookID, f.State, storecodec.PageLimit(f.Limit), max(f.Offset, 0))
}

// findDeliveries runs a query over deliveryColumns.
func (s *Store) findDeliveries(ctx context.Context, query string, args ...any) ([]rapport.Delivery, error) {
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("find deliveries: %w", err)
	}
	defer rows.Close()
	out := []rapport.Delivery{}
	for rows.Next() {
		var d rapport.Delivery
		var body []byte
		var next int64
		var delivered *int64
		if err := rows.Scan(&d.ID, &d.WebhookID, &body, &d.Attempts, &next, &delivered,
			&d.LastStatus, &d.LastError, &d.State, &d.Consent); err != nil {
			return nil, fmt.Errorf("find deliveries: %w", err)
		}
		if d.Notification, err = storecodec.DecodeNotification(body); err != nil {
			return nil, err
		}
		d.NextAttemptAt, d.DeliveredAt = storecodec.FromDueNanos(next), storecodec.FromNanos(delivered)
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find deliveries: %w", err)
	}
	return out, nil
}

// UpdateDelivery records an attempt; ENOTFOUND when the delivery is gone.
func (s *Store) UpdateDelivery(ctx context.Context, d *rapport.Delivery) error {
	if err := storecodec.CheckDelivery(d); err != nil {
		return err
	}
	res, err := s.write.ExecContext(ctx, `UPDATE deliveries SET attempts = ?, next_attempt_at = ?,
		delivered_at = ?, last_status = ?, last_error = ?, state = ?, consent = ? WHERE id = ?`,
		d.Attempts, storecodec.DueNanos(d.NextAttemptAt), storecodec.NullNanos(d.DeliveredAt),
		d.LastStatus, d.LastError, d.State, d.Consent, d.ID)
	if err != nil {
		return fmt.Errorf("update delivery %d: %w", d.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("update delivery %d: %w", d.ID, err)
	} else if n == 0 {
		return rapport.Errorf(rapport.ENOTFOUND, "delivery %d not found", d.ID)
	}
	return nil
}

-- Webhook subscriptions. events is a JSON array of notification types
-- ("*" for all); secret is kept as given, since it must sign.
CREATE TABLE webhooks (
	id               TEXT    PRIMARY KEY,
	url              TEXT    NOT NULL,
	secret           TEXT    NOT NULL,
	events           JSONB   NOT NULL,
	requires_consent TEXT    NOT NULL DEFAULT '',
	active           BOOLEAN NOT NULL,
	created_at       BIGINT
);

-- The outbox and delivery log: one row per notification and subscribed
-- webhook, written in the transaction that caused the notification.
-- next_attempt_at is unix nanoseconds, 0 for "at once".
CREATE TABLE deliveries (
	id              BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	webhook_id      TEXT    NOT NULL,
	notification    JSONB   NOT NULL,
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at BIGINT  NOT NULL DEFAULT 0,
	delivered_at    BIGINT,
	last_status     INTEGER NOT NULL DEFAULT 0,
	last_error      TEXT    NOT NULL DEFAULT '',
	state           TEXT    NOT NULL,
	consent         TEXT    NOT NULL
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at, id) WHERE state = 'pending';
CREATE INDEX deliveries_webhook_id ON deliveries (webhook_id, id);

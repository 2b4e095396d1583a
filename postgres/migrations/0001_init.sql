-- The stored events, one per messageId, filled by the processor in the
-- same transaction as the profile changes they cause. seq is the event's
-- log seq (the log assigns it). Times are unix nanoseconds, for ordering;
-- body is the whole event as JSON, kept as text (json, not jsonb) so it
-- reads back exactly as written.
CREATE TABLE events (
	seq          BIGINT PRIMARY KEY,
	message_id   TEXT   NOT NULL UNIQUE,
	type         TEXT   NOT NULL,
	user_id      TEXT   NOT NULL DEFAULT '',
	anonymous_id TEXT   NOT NULL DEFAULT '',
	source_id    TEXT   NOT NULL DEFAULT '',
	timestamp    BIGINT NOT NULL,
	received_at  BIGINT NOT NULL,
	body         JSON   NOT NULL
);
CREATE INDEX events_user_id ON events (user_id, timestamp) WHERE user_id <> '';
CREATE INDEX events_anonymous_id ON events (anonymous_id, timestamp) WHERE anonymous_id <> '';

-- Profiles. Times are unix nanoseconds, NULL for the zero time.
CREATE TABLE profiles (
	id          TEXT PRIMARY KEY,
	kind        TEXT  NOT NULL,
	traits      JSONB NOT NULL,
	trait_times JSONB NOT NULL,
	group_ids   JSONB NOT NULL,
	aggregates  JSONB NOT NULL,
	created_at  BIGINT,
	updated_at  BIGINT
);
CREATE INDEX profiles_kind ON profiles (kind, id);

CREATE TABLE identities (
	kind       TEXT NOT NULL,
	value      TEXT NOT NULL,
	profile_id TEXT NOT NULL,
	PRIMARY KEY (kind, value)
);
CREATE INDEX identities_profile_id ON identities (profile_id);

-- The order ledger; body is the whole order.
CREATE TABLE orders (
	profile_id TEXT             NOT NULL,
	order_id   TEXT             NOT NULL,
	message_id TEXT             NOT NULL,
	at         BIGINT,
	revenue    DOUBLE PRECISION NOT NULL,
	cost       DOUBLE PRECISION NOT NULL,
	currency   TEXT             NOT NULL,
	channel    TEXT             NOT NULL,
	body       JSONB            NOT NULL,
	PRIMARY KEY (profile_id, order_id)
);

CREATE TABLE merges (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	from_id    TEXT NOT NULL,
	into_id    TEXT NOT NULL,
	at         BIGINT,
	reason     TEXT NOT NULL,
	message_id TEXT NOT NULL
);
CREATE INDEX merges_from_id ON merges (from_id);
CREATE INDEX merges_into_id ON merges (into_id);

-- One row: the seq of the last event applied to profile state.
CREATE TABLE checkpoint (
	id  INTEGER PRIMARY KEY CHECK (id = 1),
	seq BIGINT  NOT NULL
);
INSERT INTO checkpoint (id, seq) VALUES (1, 0);

CREATE TABLE keys (
	id         TEXT PRIMARY KEY,
	kind       TEXT NOT NULL,
	name       TEXT NOT NULL,
	hash       TEXT NOT NULL UNIQUE,
	created_at BIGINT
);

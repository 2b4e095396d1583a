-- The stored events, one per messageId, filled by the processor in the
-- same transaction as the profile changes they cause. seq is the event's
-- log seq (the log assigns it, so no AUTOINCREMENT here). Times are unix
-- nanoseconds (for ordering); body is the whole event as JSON, the exact
-- record.
CREATE TABLE events (
	seq          INTEGER PRIMARY KEY,
	message_id   TEXT    NOT NULL UNIQUE,
	type         TEXT    NOT NULL,
	user_id      TEXT    NOT NULL DEFAULT '',
	anonymous_id TEXT    NOT NULL DEFAULT '',
	source_id    TEXT    NOT NULL DEFAULT '',
	timestamp    INTEGER NOT NULL,
	received_at  INTEGER NOT NULL,
	body         TEXT    NOT NULL
);
CREATE INDEX events_user_id ON events (user_id, timestamp) WHERE user_id <> '';
CREATE INDEX events_anonymous_id ON events (anonymous_id, timestamp) WHERE anonymous_id <> '';

-- Profiles. The JSON columns hold the matching Profile fields; times are
-- unix nanoseconds, NULL for the zero time.
CREATE TABLE profiles (
	id          TEXT PRIMARY KEY,
	kind        TEXT NOT NULL,
	traits      TEXT NOT NULL,
	trait_times TEXT NOT NULL,
	group_ids   TEXT NOT NULL,
	aggregates  TEXT NOT NULL,
	created_at  INTEGER,
	updated_at  INTEGER
);
CREATE INDEX profiles_kind ON profiles (kind, id);

CREATE TABLE identities (
	kind       TEXT NOT NULL,
	value      TEXT NOT NULL,
	profile_id TEXT NOT NULL,
	PRIMARY KEY (kind, value)
) WITHOUT ROWID;
CREATE INDEX identities_profile_id ON identities (profile_id);

-- The order ledger; body is the whole order as JSON.
CREATE TABLE orders (
	profile_id TEXT    NOT NULL,
	order_id   TEXT    NOT NULL,
	message_id TEXT    NOT NULL,
	at         INTEGER,
	revenue    REAL    NOT NULL,
	cost       REAL    NOT NULL,
	currency   TEXT    NOT NULL,
	channel    TEXT    NOT NULL,
	body       TEXT    NOT NULL,
	PRIMARY KEY (profile_id, order_id)
);

CREATE TABLE merges (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	from_id    TEXT NOT NULL,
	into_id    TEXT NOT NULL,
	at         INTEGER,
	reason     TEXT NOT NULL,
	message_id TEXT NOT NULL
);
CREATE INDEX merges_from_id ON merges (from_id);
CREATE INDEX merges_into_id ON merges (into_id);

-- One row: the seq of the last event applied to profile state.
CREATE TABLE checkpoint (
	id  INTEGER PRIMARY KEY CHECK (id = 1),
	seq INTEGER NOT NULL
);
INSERT INTO checkpoint (id, seq) VALUES (1, 0);

CREATE TABLE keys (
	id         TEXT PRIMARY KEY,
	kind       TEXT NOT NULL,
	name       TEXT NOT NULL,
	hash       TEXT NOT NULL UNIQUE,
	created_at INTEGER
);

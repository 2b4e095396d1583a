-- People who sign in to the dashboard with an email address and a
-- password (an Argon2id hash in PHC format), as an alternative to an
-- admin token. session_epoch counts password changes: a session carries the
-- epoch it was opened in, so a change ends every session opened before it.
CREATE TABLE users (
	id            TEXT    PRIMARY KEY,
	email         TEXT    NOT NULL UNIQUE,
	name          TEXT    NOT NULL DEFAULT '',
	password_hash TEXT    NOT NULL,
	created_at    BIGINT  NOT NULL,
	updated_at    BIGINT  NOT NULL,
	session_epoch BIGINT  NOT NULL DEFAULT 0
);

-- People who sign in to the dashboard with an email address and a
-- password (an Argon2id hash in PHC format), as an alternative to an
-- admin token.
CREATE TABLE users (
	id            TEXT    PRIMARY KEY,
	email         TEXT    NOT NULL UNIQUE,
	name          TEXT    NOT NULL DEFAULT '',
	password_hash TEXT    NOT NULL,
	created_at    BIGINT  NOT NULL,
	updated_at    BIGINT  NOT NULL
);

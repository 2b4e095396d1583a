-- Every version of the models Rapport runs: the scoring model (YAML) and
-- trained conversion models (JSON). Versions of a kind count from 1.
CREATE TABLE models (
	kind       TEXT    NOT NULL,
	version    INTEGER NOT NULL,
	body       BYTEA   NOT NULL,
	source     TEXT    NOT NULL,
	digest     TEXT    NOT NULL,
	created_at BIGINT  NOT NULL,
	PRIMARY KEY (kind, version)
);

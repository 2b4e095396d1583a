-- Segments: rule segments (an expression kept current per event) and
-- discovered buckets (cluster members assigned by `rapport cluster`).
-- Times are unix nanoseconds.
CREATE TABLE segments (
	id          TEXT   PRIMARY KEY,
	name        TEXT   NOT NULL,
	description TEXT   NOT NULL,
	kind        TEXT   NOT NULL,
	expression  TEXT   NOT NULL,
	persona     TEXT   NOT NULL,
	created_at  BIGINT NOT NULL,
	updated_at  BIGINT NOT NULL
);

-- Current members, and since when.
CREATE TABLE segment_members (
	segment_id TEXT   NOT NULL,
	profile_id TEXT   NOT NULL,
	since      BIGINT NOT NULL,
	PRIMARY KEY (segment_id, profile_id)
);
CREATE INDEX segment_members_profile ON segment_members (profile_id, segment_id);

-- Every entry and exit, in order.
CREATE TABLE segment_history (
	id         BIGSERIAL PRIMARY KEY,
	segment_id TEXT      NOT NULL,
	profile_id TEXT      NOT NULL,
	entered    BOOLEAN   NOT NULL,
	at         BIGINT    NOT NULL
);
CREATE INDEX segment_history_segment ON segment_history (segment_id, id);
CREATE INDEX segment_history_profile ON segment_history (profile_id, id);

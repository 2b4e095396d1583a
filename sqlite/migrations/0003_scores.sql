-- The 3D score of each scored profile: the columns leads are filtered and
-- ranked by, the scoring state (JSON) the next event continues from, and
-- the full result with its explanation (JSON). updated_at is unix
-- nanoseconds.
CREATE TABLE scores (
	profile_id TEXT    PRIMARY KEY,
	fit        REAL    NOT NULL,
	grade      TEXT    NOT NULL,
	engagement REAL    NOT NULL,
	stage      TEXT    NOT NULL,
	priority   REAL    NOT NULL,
	state      TEXT    NOT NULL,
	result     TEXT    NOT NULL,
	updated_at INTEGER
);
-- GET /api/v1/leads: highest priority first, then by profile id.
CREATE INDEX scores_priority ON scores (priority DESC, profile_id);

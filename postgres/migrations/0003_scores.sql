-- The 3D score of each scored profile: the columns leads are filtered and
-- ranked by, the scoring state the next event continues from, and the full
-- result with its explanation. State and result are json, not jsonb, so
-- they read back as written (key order kept). updated_at is unix
-- nanoseconds.
CREATE TABLE scores (
	profile_id TEXT             PRIMARY KEY,
	fit        DOUBLE PRECISION NOT NULL,
	grade      TEXT             NOT NULL,
	engagement DOUBLE PRECISION NOT NULL,
	stage      TEXT             NOT NULL,
	priority   DOUBLE PRECISION NOT NULL,
	state      JSON             NOT NULL,
	result     JSON             NOT NULL,
	updated_at BIGINT
);
-- GET /api/v1/leads: highest priority first, then by profile id.
CREATE INDEX scores_priority ON scores (priority DESC, profile_id);

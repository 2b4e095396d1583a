-- Erasure in the partitioned deployment (docs/scaling.md, "Erasure"): a
-- request is recorded here, then published as a control message on the
-- partition owning the profile; that partition's lease holder erases the
-- profile in the transaction that moves its checkpoint past the message,
-- and records the outcome here for the process that waits for it. hop
-- counts the times the request followed the profile to another partition
-- (partition is where it is now); a control message of an older hop is
-- stale. The receipt names the erased identities, so the waiting process
-- deletes the row once it has read it, and rows left by a process that
-- stopped waiting are deleted an hour after they were decided.
CREATE TABLE erasures (
	id           TEXT PRIMARY KEY,
	profile_id   TEXT        NOT NULL,
	partition    INTEGER     NOT NULL,
	hop          INTEGER     NOT NULL DEFAULT 0,
	-- pending, erased, or missing (no such profile when the partition got
	-- there: merged away or erased meanwhile).
	state        TEXT        NOT NULL DEFAULT 'pending',
	receipt      TEXT,
	requested_at TIMESTAMPTZ NOT NULL DEFAULT now(),
	decided_at   TIMESTAMPTZ
);

CREATE INDEX erasures_profile ON erasures (profile_id);

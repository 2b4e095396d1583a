-- Retention of decisions and outcomes (docs/offers.md#retention): the
-- outcomes older than the retention are rolled up into daily counts per
-- offer, arm, group and type before they are deleted, so accept rates,
-- lift and the posteriors stay what they were. day is the UTC midnight
-- starting the day, in unix nanoseconds.
CREATE TABLE offer_daily (
	day      INTEGER NOT NULL,
	offer_id TEXT    NOT NULL,
	arm      TEXT    NOT NULL,
	control  INTEGER NOT NULL,
	type     TEXT    NOT NULL,
	n        INTEGER NOT NULL,
	revenue  REAL    NOT NULL,
	PRIMARY KEY (day, offer_id, arm, control, type)
) WITHOUT ROWID;

-- The trim deletes decisions by time.
CREATE INDEX offer_decisions_at ON offer_decisions (at);

-- Merges move a person's offer decisions and outcomes to the survivor
-- from this release on; those recorded under a profile merged away
-- before are moved now, to the end of its merge chain (at most 32 hops,
-- as rapport.FindSurvivor follows).
CREATE TEMPORARY TABLE merged_into AS
WITH RECURSIVE chain(start, cur, depth) AS (
	SELECT DISTINCT from_id, into_id, 1 FROM merges
	UNION ALL
	SELECT c.start, m.into_id, c.depth + 1 FROM chain c JOIN merges m ON m.from_id = c.cur WHERE c.depth < 32
)
SELECT start, min(cur) AS into_id FROM chain c WHERE NOT EXISTS (SELECT 1 FROM merges m WHERE m.from_id = c.cur) GROUP BY start;

UPDATE offer_decisions SET profile_id = (SELECT s.into_id FROM merged_into s WHERE s.start = offer_decisions.profile_id)
	WHERE profile_id IN (SELECT start FROM merged_into);
UPDATE offer_outcomes SET profile_id = (SELECT s.into_id FROM merged_into s WHERE s.start = offer_outcomes.profile_id)
	WHERE profile_id IN (SELECT start FROM merged_into);
DROP TABLE merged_into;

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

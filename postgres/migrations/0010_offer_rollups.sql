-- Retention of decisions and outcomes (docs/offers.md#retention): the
-- outcomes older than the retention are rolled up into daily counts per
-- offer, arm, group and type before they are deleted, so accept rates,
-- lift and the posteriors stay what they were. day is the UTC midnight
-- starting the day, in unix nanoseconds.
CREATE TABLE offer_daily (
	day      BIGINT           NOT NULL,
	offer_id TEXT             NOT NULL,
	arm      TEXT             NOT NULL,
	control  BOOLEAN          NOT NULL,
	type     TEXT             NOT NULL,
	n        BIGINT           NOT NULL,
	revenue  DOUBLE PRECISION NOT NULL,
	PRIMARY KEY (day, offer_id, arm, control, type)
);

-- The trim deletes decisions by time.
CREATE INDEX offer_decisions_at ON offer_decisions (at);

-- Offers: the catalog and the triggers, each kept whole as JSON (the
-- decision engine reads them all at once and never queries their
-- fields). Times are unix nanoseconds.
CREATE TABLE offers (
	id         TEXT    PRIMARY KEY,
	body       TEXT    NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE TABLE offer_triggers (
	id         TEXT    PRIMARY KEY,
	body       TEXT    NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);

-- Every decision, with the consent check made for it (in the body).
CREATE TABLE offer_decisions (
	id         TEXT    PRIMARY KEY,
	profile_id TEXT    NOT NULL,
	at         INTEGER NOT NULL,
	body       TEXT    NOT NULL
);
CREATE INDEX offer_decisions_profile ON offer_decisions (profile_id, at);

-- Every outcome, at most one of each type per decision and offer. The
-- arm and control flag are the decision's, so counts per offer, arm and
-- group need no join.
CREATE TABLE offer_outcomes (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	decision_id TEXT    NOT NULL,
	offer_id    TEXT    NOT NULL,
	type        TEXT    NOT NULL,
	profile_id  TEXT    NOT NULL,
	channel     TEXT    NOT NULL,
	arm         TEXT    NOT NULL,
	control     INTEGER NOT NULL,
	revenue     REAL    NOT NULL,
	at          INTEGER NOT NULL,
	due         INTEGER,
	UNIQUE (decision_id, offer_id, type)
);
CREATE INDEX offer_outcomes_profile ON offer_outcomes (profile_id, at);
CREATE INDEX offer_outcomes_at ON offer_outcomes (at);

-- Shown offers still waiting for an answer, by when they count as
-- ignored; an answer deletes the row.
CREATE TABLE offer_pending (
	decision_id TEXT    NOT NULL,
	offer_id    TEXT    NOT NULL,
	due         INTEGER NOT NULL,
	PRIMARY KEY (decision_id, offer_id)
) WITHOUT ROWID;
CREATE INDEX offer_pending_due ON offer_pending (due);

-- Lead vendors, bought leads, their match keys and contact attempts
-- (issue 6, docs/leads.md). Times are unix nanoseconds. A vendor's and a
-- lead's body is its JSON; a lead's columns hold what is indexed or kept
-- current after intake (the person, contact progress, the SLA alert),
-- and win over the body.
CREATE TABLE vendors (
	id         TEXT    PRIMARY KEY,
	body       TEXT    NOT NULL,
	created_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE leads (
	id               TEXT    PRIMARY KEY,
	vendor_id        TEXT    NOT NULL,
	external_id      TEXT    NOT NULL,
	person_id        TEXT    NOT NULL,
	submitted_at     INTEGER NOT NULL,
	received_at      INTEGER NOT NULL,
	tier             TEXT    NOT NULL,
	attempts         INTEGER NOT NULL DEFAULT 0,
	first_attempt_at INTEGER,
	first_contact_at INTEGER,
	converted_at     INTEGER,
	converted_value  REAL    NOT NULL DEFAULT 0,
	alerted_at       INTEGER,
	body             BLOB    NOT NULL
);
-- A vendor's lead id is sent again only by a retry.
CREATE UNIQUE INDEX leads_external ON leads (vendor_id, external_id);
CREATE INDEX leads_person ON leads (person_id);
CREATE INDEX leads_received ON leads (received_at);
CREATE INDEX leads_vendor_received ON leads (vendor_id, received_at);
-- The SLA watcher's work: leads not attempted and not alerted yet.
CREATE INDEX leads_waiting ON leads (tier, submitted_at) WHERE first_attempt_at IS NULL AND alerted_at IS NULL;

-- Normalised match keys (email, phone, name and address ...) and the
-- person each finds: duplicates are found through them.
CREATE TABLE lead_keys (
	key       TEXT PRIMARY KEY,
	person_id TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX lead_keys_person ON lead_keys (person_id);

CREATE TABLE lead_contacts (
	message_id TEXT    PRIMARY KEY,
	lead_id    TEXT    NOT NULL,
	at         INTEGER NOT NULL,
	body       TEXT    NOT NULL
) WITHOUT ROWID;
CREATE INDEX lead_contacts_lead ON lead_contacts (lead_id, at);

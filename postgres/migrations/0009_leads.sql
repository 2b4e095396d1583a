-- Lead vendors, bought leads, their match keys and contact attempts
-- (issue 6, docs/leads.md). Times are unix nanoseconds. A vendor's and a
-- lead's body is its JSON; a lead's columns hold what is indexed or kept
-- current after intake (the person, contact progress, the SLA alert),
-- and win over the body. Ids sort as bytes (COLLATE "C"), as in SQLite.
CREATE TABLE vendors (
	id         TEXT COLLATE "C" PRIMARY KEY,
	body       JSON             NOT NULL,
	created_at BIGINT           NOT NULL
);

CREATE TABLE leads (
	id               TEXT COLLATE "C" PRIMARY KEY,
	vendor_id        TEXT COLLATE "C" NOT NULL,
	external_id      TEXT COLLATE "C" NOT NULL,
	person_id        TEXT COLLATE "C" NOT NULL,
	submitted_at     BIGINT           NOT NULL,
	received_at      BIGINT           NOT NULL,
	tier             TEXT             NOT NULL,
	attempts         INTEGER          NOT NULL DEFAULT 0,
	first_attempt_at BIGINT,
	first_contact_at BIGINT,
	converted_at     BIGINT,
	converted_value  DOUBLE PRECISION NOT NULL DEFAULT 0,
	alerted_at       BIGINT,
	body             JSON             NOT NULL
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
	key       TEXT COLLATE "C" PRIMARY KEY,
	person_id TEXT COLLATE "C" NOT NULL
);
CREATE INDEX lead_keys_person ON lead_keys (person_id);

CREATE TABLE lead_contacts (
	message_id TEXT COLLATE "C" PRIMARY KEY,
	lead_id    TEXT COLLATE "C" NOT NULL,
	at         BIGINT           NOT NULL,
	body       JSON             NOT NULL
);
CREATE INDEX lead_contacts_lead ON lead_contacts (lead_id, at);

-- Lead outcomes and contract terms (docs/leads.md): the columns vendor
-- scorecards add up in SQL (so a report reads no lead bodies and has no
-- size bound), a lead accepted over its vendor's cap and not paid, a
-- lead returned to its vendor for credit, and the orders credited to
-- leads with how far the conversion sweep has read the stored events.
ALTER TABLE leads
	ADD COLUMN price         DOUBLE PRECISION NOT NULL DEFAULT 0,
	ADD COLUMN contactable   BOOLEAN          NOT NULL DEFAULT TRUE,
	ADD COLUMN bot           BOOLEAN          NOT NULL DEFAULT FALSE,
	ADD COLUMN inquiry       INTEGER          NOT NULL DEFAULT 1,
	ADD COLUMN engagement    DOUBLE PRECISION NOT NULL DEFAULT 0,
	ADD COLUMN expected      DOUBLE PRECISION NOT NULL DEFAULT 0,
	ADD COLUMN max_price     DOUBLE PRECISION NOT NULL DEFAULT 0,
	ADD COLUMN over_cap      BOOLEAN          NOT NULL DEFAULT FALSE,
	ADD COLUMN returned_at   BIGINT,
	ADD COLUMN return_reason TEXT             NOT NULL DEFAULT '',
	ADD COLUMN credit        DOUBLE PRECISION NOT NULL DEFAULT 0;

-- Leads stored before this migration: the columns from their bodies.
UPDATE leads SET
	price       = coalesce((body->>'price')::double precision, 0),
	contactable = coalesce((body->>'contactable')::boolean, FALSE),
	bot         = coalesce(body->>'engagementLevel', '') = 'bot',
	inquiry     = coalesce((body->>'inquiry')::integer, 1),
	engagement  = coalesce((body->>'engagement')::double precision, 0),
	expected    = coalesce((body->'value'->>'expected')::double precision, 0),
	max_price   = coalesce((body->'value'->>'maxPrice')::double precision, 0);

-- A vendor's ages at delivery in a range, read from the index alone:
-- the scorecards' medians. It serves what leads_vendor_received did.
DROP INDEX leads_vendor_received;
CREATE INDEX leads_vendor_delay ON leads (vendor_id, received_at, submitted_at);

-- What a scorecard adds up, in receipt order: the vendor totals of any
-- range are read from this index alone, not from the rows and their
-- bodies (ten times the bytes). It serves what leads_received did.
DROP INDEX leads_received;
CREATE INDEX leads_report ON leads (received_at, vendor_id, price, contactable, bot, inquiry, engagement, expected,
	max_price, over_cap, first_contact_at, converted_at, converted_value, returned_at, credit);

-- Consent failures and returns listed by the dashboard, newest first.
CREATE INDEX leads_consent_failed ON leads (received_at) WHERE NOT contactable;
CREATE INDEX leads_returned ON leads (returned_at) WHERE returned_at IS NOT NULL;

-- One order event credits at most one lead (docs/leads.md, Conversions).
CREATE TABLE lead_conversions (
	message_id TEXT COLLATE "C" PRIMARY KEY,
	lead_id    TEXT COLLATE "C" NOT NULL,
	at         BIGINT           NOT NULL,
	revenue    DOUBLE PRECISION NOT NULL
);
CREATE INDEX lead_conversions_lead ON lead_conversions (lead_id);

-- The seq of the last stored event the conversion sweep has read.
CREATE TABLE lead_cursors (
	name TEXT COLLATE "C" PRIMARY KEY,
	seq  BIGINT           NOT NULL
);

-- Lead outcomes and contract terms (docs/leads.md): the columns vendor
-- scorecards add up in SQL (so a report reads no lead bodies and has no
-- size bound), a lead accepted over its vendor's cap and not paid, a
-- lead returned to its vendor for credit, and the orders credited to
-- leads with how far the conversion sweep has read the stored events.
ALTER TABLE leads ADD COLUMN price       REAL    NOT NULL DEFAULT 0;
ALTER TABLE leads ADD COLUMN contactable INTEGER NOT NULL DEFAULT 1;
ALTER TABLE leads ADD COLUMN bot         INTEGER NOT NULL DEFAULT 0;
ALTER TABLE leads ADD COLUMN inquiry     INTEGER NOT NULL DEFAULT 1;
ALTER TABLE leads ADD COLUMN engagement  REAL    NOT NULL DEFAULT 0;
ALTER TABLE leads ADD COLUMN expected    REAL    NOT NULL DEFAULT 0;
ALTER TABLE leads ADD COLUMN max_price   REAL    NOT NULL DEFAULT 0;
ALTER TABLE leads ADD COLUMN over_cap    INTEGER NOT NULL DEFAULT 0;
ALTER TABLE leads ADD COLUMN returned_at   INTEGER;
ALTER TABLE leads ADD COLUMN return_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE leads ADD COLUMN credit        REAL NOT NULL DEFAULT 0;

-- Leads stored before this migration: the columns from their bodies.
UPDATE leads SET
	price       = coalesce(json_extract(CAST(body AS TEXT), '$.price'), 0),
	contactable = coalesce(json_extract(CAST(body AS TEXT), '$.contactable'), 0),
	bot         = coalesce(json_extract(CAST(body AS TEXT), '$.engagementLevel'), '') = 'bot',
	inquiry     = coalesce(json_extract(CAST(body AS TEXT), '$.inquiry'), 1),
	engagement  = coalesce(json_extract(CAST(body AS TEXT), '$.engagement'), 0),
	expected    = coalesce(json_extract(CAST(body AS TEXT), '$.value.expected'), 0),
	max_price   = coalesce(json_extract(CAST(body AS TEXT), '$.value.maxPrice'), 0);

-- A vendor's ages at delivery in a range, read from the index alone:
-- the scorecards' medians. It serves what leads_vendor_received did.
DROP INDEX leads_vendor_received;
CREATE INDEX leads_vendor_delay ON leads (vendor_id, received_at, submitted_at);

-- What a scorecard adds up, by UTC day of receipt: the vendor totals of
-- any range are read in this index's order (no sort of the range's
-- rows) and from the index, not from the rows and their bodies (ten
-- times the bytes). leads_received stays: lists page newest first by it.
ALTER TABLE leads ADD COLUMN received_day INTEGER GENERATED ALWAYS AS (received_at / 86400000000000) VIRTUAL;
CREATE INDEX leads_report ON leads (received_day, vendor_id, received_at, price, contactable, bot, inquiry, engagement,
	expected, max_price, over_cap, first_contact_at, converted_at, converted_value, returned_at, credit);

-- Consent failures and returns listed by the dashboard, newest first.
CREATE INDEX leads_consent_failed ON leads (received_at) WHERE contactable = 0;
CREATE INDEX leads_returned ON leads (returned_at) WHERE returned_at IS NOT NULL;

-- One order event credits at most one lead (docs/leads.md, Conversions).
CREATE TABLE lead_conversions (
	message_id TEXT    PRIMARY KEY,
	lead_id    TEXT    NOT NULL,
	at         INTEGER NOT NULL,
	revenue    REAL    NOT NULL
) WITHOUT ROWID;
CREATE INDEX lead_conversions_lead ON lead_conversions (lead_id);

-- The seq of the last stored event the conversion sweep has read.
CREATE TABLE lead_cursors (
	name TEXT    PRIMARY KEY,
	seq  INTEGER NOT NULL
) WITHOUT ROWID;

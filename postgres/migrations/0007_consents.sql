-- The latest consent record per contact channel of each profile (JSON,
-- rapport.Consent by channel). The events that recorded them stay in the
-- events table as the proof.
ALTER TABLE profiles ADD COLUMN consents JSON NOT NULL DEFAULT '{}';

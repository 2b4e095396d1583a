-- The event log: what ingest appends and acknowledges. Nothing but the
-- primary key is indexed and nothing is deduplicated. seq comes from an
-- identity column, so a trimmed seq is never reused; appends are
-- serialized (see log_event.go) so seq order is commit order. body is the
-- whole event (without seq) as JSON text.
CREATE TABLE event_log (
	seq  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	body JSON NOT NULL
);

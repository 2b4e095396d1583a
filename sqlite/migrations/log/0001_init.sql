-- The event log: what ingest appends and acknowledges. Nothing but the
-- primary key is indexed and nothing is deduplicated, so an append only
-- writes at the end of one b-tree. seq is AUTOINCREMENT so a trimmed seq
-- is never reused, even once the table is empty: a processor whose
-- checkpoint is past it would otherwise skip new events. body is the
-- whole event (without seq) as JSON.
CREATE TABLE log (
	seq  INTEGER PRIMARY KEY AUTOINCREMENT,
	body BLOB NOT NULL
);

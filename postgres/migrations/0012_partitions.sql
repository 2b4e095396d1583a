-- Partitioned scale-out (issue 7, docs/scaling.md): worker processes each
-- apply some partitions of the event log. partition_config records the
-- number of partitions at first start; a process started with another
-- number is refused. partitions holds each partition's ownership lease
-- (owner, epoch = fencing token, expiry) and its checkpoint, moved in the
-- same transaction as the changes, by the lease holder only.
CREATE TABLE partition_config (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	partitions INTEGER NOT NULL
);

CREATE TABLE partitions (
	partition  INTEGER PRIMARY KEY,
	owner      TEXT,
	epoch      BIGINT      NOT NULL DEFAULT 0,
	expires_at TIMESTAMPTZ NOT NULL DEFAULT '-infinity',
	checkpoint BIGINT      NOT NULL DEFAULT 0
);

-- The partition that owns each profile: only that partition's lease
-- holder writes the profile. Set when the profile is created, moved by a
-- handoff (a merge across partitions), dropped when it is merged away.
CREATE TABLE profile_partitions (
	profile_id TEXT PRIMARY KEY,
	partition  INTEGER NOT NULL
);

-- Live worker processes, by heartbeat: each aims at ceil(partitions / live).
CREATE TABLE workers (
	id         TEXT PRIMARY KEY,
	expires_at TIMESTAMPTZ NOT NULL
);

-- Events a partition passed to another, written with the checkpoint that
-- passes them and published after the commit (a transactional outbox).
CREATE TABLE forwards (
	partition INTEGER NOT NULL,
	seq       BIGINT  NOT NULL,
	target    INTEGER NOT NULL,
	body      TEXT    NOT NULL,
	PRIMARY KEY (partition, seq)
);

-- Leases of the jobs one process runs at a time (webhook dispatcher,
-- rescoring and segment passes, lead SLA watcher).
CREATE TABLE leases (
	name       TEXT PRIMARY KEY,
	owner      TEXT        NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL
);

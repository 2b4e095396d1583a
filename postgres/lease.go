package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rapportdev/rapport"
)

// Heartbeat records the worker as live for ttl and forgets workers whose
// heartbeat expired; it returns how many workers are live.
func (s *Store) Heartbeat(ctx context.Context, worker string, ttl time.Duration) (int, error) {
	var live int
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO workers (id, expires_at) VALUES ($1, now() + make_interval(secs => $2::float8))
			ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at`, worker, ttl.Seconds()); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM workers WHERE expires_at < now()`); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT count(*) FROM workers`).Scan(&live)
	})
	if err != nil {
		return 0, fmt.Errorf("heartbeat of worker %s: %w", worker, err)
	}
	return live, nil
}

// LeaveWorkers forgets the worker, at its clean shutdown.
func (s *Store) LeaveWorkers(ctx context.Context, worker string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM workers WHERE id = $1`, worker); err != nil {
		return fmt.Errorf("leave workers: %w", err)
	}
	return nil
}

// PartitionLeases returns every partition's lease, by partition.
func (s *Store) PartitionLeases(ctx context.Context) ([]rapport.PartitionLease, error) {
	rows, _ := s.pool.Query(ctx, `SELECT partition, coalesce(owner, ''), epoch, expires_at > now()
		FROM partitions ORDER BY partition`)
	var out []rapport.PartitionLease
	var l rapport.PartitionLease
	_, err := pgx.ForEachRow(rows, []any{&l.Partition, &l.Owner, &l.Epoch, &l.Live}, func() error {
		out = append(out, l)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read partition leases: %w", err)
	}
	return out, nil
}

// ClaimPartition takes the partition's lease for worker when it is free or
// expired, with the next epoch, and returns the epoch; ok is false when
// another worker holds a live lease.
func (s *Store) ClaimPartition(ctx context.Context, partition int, worker string, ttl time.Duration) (epoch int64, ok bool, err error) {
	err = s.pool.QueryRow(ctx, `UPDATE partitions SET owner = $2, epoch = epoch + 1, expires_at = now() + make_interval(secs => $3::float8)
		WHERE partition = $1 AND (owner IS NULL OR expires_at <= now()) RETURNING epoch`,
		partition, worker, ttl.Seconds()).Scan(&epoch)
	if err == pgx.ErrNoRows {
		return 0, false, nil
	} else if err != nil {
		return 0, false, fmt.Errorf("claim partition %d: %w", partition, err)
	}
	return epoch, true, nil
}

// RenewPartition extends the worker's lease of the epoch; ok is false when
// it was lost (expired and taken, or released).
func (s *Store) RenewPartition(ctx context.Context, partition int, worker string, epoch int64, ttl time.Duration) (bool, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE partitions SET expires_at = now() + make_interval(secs => $4::float8)
		WHERE partition = $1 AND owner = $2 AND epoch = $3 AND expires_at > now()`, partition, worker, epoch, ttl.Seconds())
	if err != nil {
		return false, fmt.Errorf("renew partition %d: %w", partition, err)
	}
	return tag.RowsAffected() == 1, nil
}

// ReleasePartition gives up the worker's lease of the epoch at once.
func (s *Store) ReleasePartition(ctx context.Context, partition int, worker string, epoch int64) error {
	_, err := s.pool.Exec(ctx, `UPDATE partitions SET owner = NULL, expires_at = '-infinity'
		WHERE partition = $1 AND owner = $2 AND epoch = $3`, partition, worker, epoch)
	if err != nil {
		return fmt.Errorf("release partition %d: %w", partition, err)
	}
	return nil
}

// AcquireLease takes or renews the named lease for owner for ttl, and
// reports whether owner holds it: a job only one process may run at a
// time runs while its lease is held. takenOver is true when owner took it
// from another holder whose lease expired (one that died or stalled), not
// from nobody (a first start, or a holder that released it at shutdown).
func (s *Store) AcquireLease(ctx context.Context, name, owner string, ttl time.Duration) (held, takenOver bool, err error) {
	var prev string
	err = s.pool.QueryRow(ctx, `WITH prev AS (SELECT owner FROM leases WHERE name = $1)
		INSERT INTO leases (name, owner, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3::float8))
		ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
		WHERE leases.owner = excluded.owner OR leases.expires_at <= now()
		RETURNING coalesce((SELECT owner FROM prev), '')`, name, owner, ttl.Seconds()).Scan(&prev)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, false, nil
	} else if err != nil {
		return false, false, fmt.Errorf("acquire lease %s: %w", name, err)
	}
	return true, prev != "" && prev != owner, nil
}

// ReleaseLease gives the named lease up if owner holds it.
func (s *Store) ReleaseLease(ctx context.Context, name, owner string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM leases WHERE name = $1 AND owner = $2`, name, owner); err != nil {
		return fmt.Errorf("release lease %s: %w", name, err)
	}
	return nil
}

package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
)

var _ rapport.PartitionStore = (*Store)(nil)

// ErrLeaseLost is returned by ApplyPartitionChanges when the writer no
// longer holds the partition's lease: it must stop applying it.
var ErrLeaseLost = errors.New("partition lease lost")

// ConfigurePartitions records the number of partitions at the first start
// and creates their lease rows; a later start with another number is
// refused, since events already routed would land on other partitions.
func (s *Store) ConfigurePartitions(ctx context.Context, n int) error {
	if n < 1 {
		return rapport.Errorf(rapport.EINVALID, "partitions must be at least 1, not %d", n)
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO partition_config (id, partitions) VALUES (1, $1) ON CONFLICT DO NOTHING`, n); err != nil {
			return fmt.Errorf("record partitions: %w", err)
		}
		var stored int
		if err := tx.QueryRow(ctx, `SELECT partitions FROM partition_config WHERE id = 1`).Scan(&stored); err != nil {
			return fmt.Errorf("read partitions: %w", err)
		}
		if stored != n {
			return rapport.Errorf(rapport.ECONFLICT, "this store was set up with %d partitions, not %d: start with --partitions %d", stored, n, stored)
		}
		_, err := tx.Exec(ctx, `INSERT INTO partitions (partition) SELECT generate_series(0, $1 - 1) ON CONFLICT DO NOTHING`, n)
		return err
	})
}

// Partitions returns the number of partitions recorded at the first
// partitioned start, 0 when the store's log was never partitioned.
func (s *Store) Partitions(ctx context.Context) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT partitions FROM partition_config WHERE id = 1`).Scan(&n)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	} else if err != nil {
		return 0, fmt.Errorf("read partitions: %w", err)
	}
	return n, nil
}

// PartitionCheckpoint returns the seq of the partition's last applied event.
func (s *Store) PartitionCheckpoint(ctx context.Context, partition int) (int64, error) {
	var seq int64
	err := s.pool.QueryRow(ctx, `SELECT checkpoint FROM partitions WHERE partition = $1`, partition).Scan(&seq)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, rapport.Errorf(rapport.ENOTFOUND, "partition %d is not configured", partition)
	} else if err != nil {
		return 0, fmt.Errorf("read checkpoint of partition %d: %w", partition, err)
	}
	return seq, nil
}

// FindProfilePartitions returns the partition owning each given profile
// that has one recorded.
func (s *Store) FindProfilePartitions(ctx context.Context, ids []string) (map[string]int, error) {
	out := map[string]int{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, _ := s.pool.Query(ctx, `SELECT profile_id, partition FROM profile_partitions WHERE profile_id = ANY($1)`, texts(ids))
	var id string
	var part int
	_, err := pgx.ForEachRow(rows, []any{&id, &part}, func() error {
		out[id] = part
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find profile partitions: %w", err)
	}
	return out, nil
}

// FindIdentityPartitions returns the partition owning the profile that
// holds each given identity, for those held by a profile with one: ingest
// routes an event there.
func (s *Store) FindIdentityPartitions(ctx context.Context, ids []rapport.Identity) (map[rapport.Identity]int, error) {
	out := map[rapport.Identity]int{}
	if len(ids) == 0 {
		return out, nil
	}
	kinds, values := make([]string, len(ids)), make([]string, len(ids))
	for i, id := range ids {
		kinds[i], values[i] = text(string(id.Kind)), text(id.Value)
	}
	rows, _ := s.pool.Query(ctx, `SELECT i.kind, i.value, pp.partition
		FROM unnest($1::text[], $2::text[]) AS q(kind, value)
		JOIN identities i ON i.kind = q.kind AND i.value = q.value
		JOIN profile_partitions pp ON pp.profile_id = i.profile_id`, kinds, values)
	var kind, value string
	var part int
	_, err := pgx.ForEachRow(rows, []any{&kind, &value, &part}, func() error {
		out[rapport.Identity{Kind: rapport.IdentityKind(kind), Value: value}] = part
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find identity partitions: %w", err)
	}
	return out, nil
}

// ApplyPartitionChanges writes a partition's changes in one transaction,
// fenced by its lease (see rapport.PartitionChanges).
func (s *Store) ApplyPartitionChanges(ctx context.Context, pc rapport.PartitionChanges) error {
	c := pc.Changes
	if err := storecodec.CheckChanges(&c); err != nil {
		return err
	}
	events := c.Events
	c.Events = nil
	var checked []rapport.IdentityLink
	c.Identities = slices.DeleteFunc(slices.Clone(c.Identities), func(l rapport.IdentityLink) bool {
		if _, ok := pc.Prev[l.Identity]; ok {
			checked = append(checked, l)
			return true
		}
		return false
	})
	return s.applyChanges(ctx, c, func(tx pgx.Tx) error {
		if err := moveCheckpoint(ctx, tx, &pc); err != nil {
			return err
		}
		if err := insertNewEvents(ctx, tx, events); err != nil {
			return err
		}
		if err := claimProfiles(ctx, tx, &pc); err != nil {
			return err
		}
		if err := linkChecked(ctx, tx, checked, pc.Prev); err != nil {
			return err
		}
		return insertForwards(ctx, tx, pc.Partition, pc.Forwards)
	})
}

// moveCheckpoint moves the partition's checkpoint from Base, only for the
// lease holder of the epoch, and only while the lease runs.
func moveCheckpoint(ctx context.Context, tx pgx.Tx, pc *rapport.PartitionChanges) error {
	tag, err := tx.Exec(ctx, `UPDATE partitions SET checkpoint = $1
		WHERE partition = $2 AND owner = $3 AND epoch = $4 AND expires_at > now() AND checkpoint = $5`,
		pc.Checkpoint, pc.Partition, pc.Owner, pc.Epoch, pc.Base)
	if err != nil {
		return fmt.Errorf("move checkpoint of partition %d: %w", pc.Partition, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("partition %d, epoch %d, base %d: %w", pc.Partition, pc.Epoch, pc.Base, ErrLeaseLost)
	}
	return nil
}

// insertNewEvents stores the events and refuses the changes when one of
// their messageIds is stored already: another partition applied it first
// (a client retry routed elsewhere).
func insertNewEvents(ctx context.Context, tx pgx.Tx, events []rapport.Event) error {
	if len(events) == 0 {
		return nil
	}
	args, err := eventArgs(events)
	if err != nil {
		return err
	}
	tag, err := tx.Exec(ctx, insertEventsSQL, args...)
	if err != nil {
		return fmt.Errorf("insert events: %w", err)
	}
	if tag.RowsAffected() != int64(len(events)) {
		return rapport.Errorf(rapport.ECONFLICT, "%d of %d events are stored already", int64(len(events))-tag.RowsAffected(), len(events))
	}
	return nil
}

// claimProfiles checks that every profile written or merged belongs to the
// partition (or to none yet, and is claimed), then records the merges and
// handoffs.
func claimProfiles(ctx context.Context, tx pgx.Tx, pc *rapport.PartitionChanges) error {
	var ids []string
	for _, p := range pc.Profiles {
		ids = append(ids, p.ID)
	}
	for _, m := range pc.Merges {
		ids = append(ids, m.From, m.Into)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	owned := map[string]int{}
	rows, _ := tx.Query(ctx, `SELECT profile_id, partition FROM profile_partitions
		WHERE profile_id = ANY($1) ORDER BY profile_id FOR UPDATE`, texts(ids))
	var id string
	var part int
	if _, err := pgx.ForEachRow(rows, []any{&id, &part}, func() error {
		owned[id] = part
		return nil
	}); err != nil {
		return fmt.Errorf("lock profile partitions: %w", err)
	}
	var claim []string
	for _, id := range ids {
		part, ok := owned[id]
		if ok && part != pc.Partition {
			return rapport.Errorf(rapport.ECONFLICT, "profile %s belongs to partition %d", id, part)
		} else if !ok {
			claim = append(claim, id)
		}
	}
	b := &pgx.Batch{}
	if len(claim) > 0 {
		b.Queue(`INSERT INTO profile_partitions (profile_id, partition) SELECT unnest($1::text[]), $2 ON CONFLICT DO NOTHING`,
			texts(claim), pc.Partition)
	}
	for _, m := range pc.Merges {
		b.Queue(`DELETE FROM profile_partitions WHERE profile_id = $1`, text(m.From))
	}
	for _, h := range pc.Handoffs {
		b.Queue(`UPDATE profile_partitions SET partition = $2 WHERE profile_id = $1`, text(h.ProfileID), h.To)
	}
	br := tx.SendBatch(ctx, b)
	if len(claim) > 0 {
		tag, err := br.Exec()
		if err != nil {
			br.Close()
			return fmt.Errorf("claim profiles: %w", err)
		}
		if tag.RowsAffected() != int64(len(claim)) {
			br.Close()
			return rapport.Errorf(rapport.ECONFLICT, "another partition claimed one of %d profiles", len(claim))
		}
	}
	if err := br.Close(); err != nil {
		return fmt.Errorf("record merges and handoffs: %w", err)
	}
	return nil
}

// linkChecked points identities at profiles where each is still held as
// the batch read it: by nobody, by the profile read, or already by the
// new one. Another partition having claimed one first is ECONFLICT.
func linkChecked(ctx context.Context, tx pgx.Tx, links []rapport.IdentityLink, prev map[rapport.Identity]string) error {
	if len(links) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	for _, l := range links {
		b.Queue(`INSERT INTO identities (kind, value, profile_id) VALUES ($1, $2, $3)
			ON CONFLICT (kind, value) DO UPDATE SET profile_id = excluded.profile_id
			WHERE identities.profile_id = $4 OR identities.profile_id = excluded.profile_id`,
			text(string(l.Identity.Kind)), text(l.Identity.Value), text(l.ProfileID), text(prev[l.Identity]))
	}
	br := tx.SendBatch(ctx, b)
	for _, l := range links {
		tag, err := br.Exec()
		if err == nil && tag.RowsAffected() != 1 {
			err = rapport.Errorf(rapport.ECONFLICT, "identity %s was claimed by another partition", l.Identity)
		}
		if err != nil {
			br.Close()
			return fmt.Errorf("link %s: %w", l.Identity, err)
		}
	}
	return br.Close()
}

// insertForwards stores the batch's forwards for publishing after commit.
func insertForwards(ctx context.Context, tx pgx.Tx, partition int, fwds []rapport.Forward) error {
	if len(fwds) == 0 {
		return nil
	}
	events := make([]rapport.Event, len(fwds))
	seqs, targets := make([]int64, len(fwds)), make([]int64, len(fwds))
	for i, f := range fwds {
		events[i], seqs[i], targets[i] = f.Event, f.Seq, int64(f.To)
	}
	bodies, err := storableBodies(events, storecodec.Serial)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO forwards (partition, seq, target, body)
		SELECT $1, q, t, b FROM unnest($2::bigint[], $3::bigint[], $4::text[]) AS x(q, t, b)
		ON CONFLICT DO NOTHING`, partition, seqs, targets, bodies)
	if err != nil {
		return fmt.Errorf("store forwards: %w", err)
	}
	return nil
}

// FindForwards returns the partition's forwards not yet published.
func (s *Store) FindForwards(ctx context.Context, partition int) ([]rapport.Forward, error) {
	rows, _ := s.pool.Query(ctx, `SELECT seq, target, body FROM forwards WHERE partition = $1 ORDER BY seq`, partition)
	var out []rapport.Forward
	var seq int64
	var to int
	var body string
	_, err := pgx.ForEachRow(rows, []any{&seq, &to, &body}, func() error {
		ev, err := storecodec.DecodeEvent(seq, []byte(body))
		if err != nil {
			return err
		}
		out = append(out, rapport.Forward{Seq: seq, To: to, Event: ev})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find forwards of partition %d: %w", partition, err)
	}
	return out, nil
}

// DeleteForwards drops the partition's forwards up to seq, once published.
func (s *Store) DeleteForwards(ctx context.Context, partition int, upTo int64) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM forwards WHERE partition = $1 AND seq <= $2`, partition, upTo); err != nil {
		return fmt.Errorf("delete forwards of partition %d: %w", partition, err)
	}
	return nil
}

package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rapportdev/rapport"
)

// States of an erasure request of the partitioned deployment.
const (
	// ErasurePending: published on Partition, not reached yet.
	ErasurePending = "pending"
	// ErasureErased: the profile and everything of it were deleted.
	ErasureErased = "erased"
	// ErasureMissing: when its partition reached the request, no such
	// profile existed (merged away or erased meanwhile).
	ErasureMissing = "missing"
)

// ErasureRequest is a request to erase a profile in the partitioned
// deployment (docs/scaling.md, "Erasure"): recorded here, carried out by
// the lease holder of the partition owning the profile when it reaches
// the request's control message in the log.
type ErasureRequest struct {
	ID        string
	ProfileID string
	// Partition is where the request's control message is published now;
	// Hop counts the times it followed the profile to another partition.
	// A control message naming another (Partition, Hop) is stale.
	Partition int
	Hop       int
	State     string
	// Receipt is what was deleted, once State is ErasureErased.
	Receipt *rapport.Erasure
}

// RequestErasure records a request to erase profileID, or returns the one
// recorded for it already: pending (a client retrying its DELETE waits for
// the same erasure), or decided with nobody having read the outcome (the
// retry of a DELETE that gave up waiting gets the receipt). fallback is the
// partition to ask when the profile has none recorded (a profile from
// before partitioning). It returns ENOTFOUND when there is neither a
// request nor such a profile. Requests decided more than an hour ago are
// deleted on the way: their receipts name the erased identities.
func (s *Store) RequestErasure(ctx context.Context, profileID string, fallback int) (ErasureRequest, error) {
	r := ErasureRequest{ProfileID: profileID, State: ErasurePending}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// Two requests for one profile at once become one.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('rapport_erase.' || $1))`, text(profileID)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM erasures WHERE decided_at < now() - interval '1 hour'`); err != nil {
			return err
		}
		var receipt *string
		err := tx.QueryRow(ctx, `SELECT id, partition, hop, state, receipt FROM erasures WHERE profile_id = $1
			ORDER BY requested_at DESC LIMIT 1`, text(profileID)).Scan(&r.ID, &r.Partition, &r.Hop, &r.State, &receipt)
		if err == nil {
			return decodeReceipt(&r, receipt)
		} else if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		var part *int
		err = tx.QueryRow(ctx, `SELECT pp.partition FROM profiles p LEFT JOIN profile_partitions pp ON pp.profile_id = p.id
			WHERE p.id = $1`, text(profileID)).Scan(&part)
		if errors.Is(err, pgx.ErrNoRows) {
			return rapport.Errorf(rapport.ENOTFOUND, "profile %s not found", profileID)
		} else if err != nil {
			return err
		}
		r.ID, r.Partition = rapport.NewID("er_"), fallback
		if part != nil {
			r.Partition = *part
		}
		_, err = tx.Exec(ctx, `INSERT INTO erasures (id, profile_id, partition) VALUES ($1, $2, $3)`, r.ID, text(profileID), r.Partition)
		return err
	})
	if err != nil {
		return ErasureRequest{}, fmt.Errorf("request erasure of %s: %w", profileID, err)
	}
	return r, nil
}

// FindErasure returns an erasure request as it stands, or ENOTFOUND.
func (s *Store) FindErasure(ctx context.Context, id string) (ErasureRequest, error) {
	r := ErasureRequest{ID: id}
	var receipt *string
	err := s.pool.QueryRow(ctx, `SELECT profile_id, partition, hop, state, receipt FROM erasures WHERE id = $1`, text(id)).
		Scan(&r.ProfileID, &r.Partition, &r.Hop, &r.State, &receipt)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, rapport.Errorf(rapport.ENOTFOUND, "erasure request %s not found", id)
	} else if err != nil {
		return r, fmt.Errorf("find erasure request %s: %w", id, err)
	}
	return r, decodeReceipt(&r, receipt)
}

// decodeReceipt sets r's receipt from its stored JSON, if any.
func decodeReceipt(r *ErasureRequest, receipt *string) error {
	if receipt == nil {
		return nil
	}
	r.Receipt = &rapport.Erasure{}
	if err := json.Unmarshal([]byte(*receipt), r.Receipt); err != nil {
		return fmt.Errorf("decode receipt of erasure request %s: %w", r.ID, err)
	}
	return nil
}

// ForgetErasure deletes a decided erasure request, once its requester has
// read the receipt. A pending one is left alone.
func (s *Store) ForgetErasure(ctx context.Context, id string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM erasures WHERE id = $1 AND state <> 'pending'`, text(id)); err != nil {
		return fmt.Errorf("forget erasure request %s: %w", id, err)
	}
	return nil
}

// PartitionErasure is an erasure request's control message, reached by a
// partition's processor with everything before it applied.
type PartitionErasure struct {
	// Request and Hop are the control message's.
	Request string
	Hop     int
	// Partition, Owner and Epoch are the lease the write is fenced by, as
	// a batch is; the checkpoint moves from Base to Checkpoint, the control
	// message's seq.
	Partition  int
	Owner      string
	Epoch      int64
	Base       int64
	Checkpoint int64
}

// ErasePartitioned carries out an erasure request at its control message,
// in one transaction that moves the partition's checkpoint past the
// message (fenced by the lease, as batches are, so it happens once
// whichever holder gets there) and records the outcome on the request:
//   - the profile is the partition's: it is deleted as DeleteProfile does
//     (its row in profile_partitions stays, naming this partition, so a
//     stale batch of another partition that would write it back is
//     refused), and the request is erased, with the receipt;
//   - the profile is another partition's (handed off since): the request
//     follows it (Partition and Hop change) and stays pending; the caller
//     publishes it there;
//   - no such profile (merged away or erased meanwhile): missing;
//   - the request is not pending at this (Partition, Hop), or unknown: a
//     stale copy of the message, only the checkpoint moves.
//
// It returns the request as it stands after the commit, and whether this
// message decided it or moved it. ErrLeaseLost: the lease is not held.
func (s *Store) ErasePartitioned(ctx context.Context, e PartitionErasure) (ErasureRequest, bool, error) {
	r := ErasureRequest{ID: e.Request}
	acted := false
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		r, acted = ErasureRequest{ID: e.Request}, false
		pc := rapport.PartitionChanges{Changes: rapport.Changes{Base: e.Base, Checkpoint: e.Checkpoint},
			Partition: e.Partition, Owner: e.Owner, Epoch: e.Epoch}
		if err := moveCheckpoint(ctx, tx, &pc); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `SELECT profile_id, partition, hop, state FROM erasures WHERE id = $1 FOR UPDATE`, text(e.Request)).
			Scan(&r.ProfileID, &r.Partition, &r.Hop, &r.State)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		} else if err != nil {
			return fmt.Errorf("read erasure request: %w", err)
		}
		if r.State != ErasurePending || r.Partition != e.Partition || r.Hop != e.Hop {
			return nil
		}
		acted = true
		return erasePending(ctx, tx, e.Partition, &r)
	})
	if err != nil {
		return r, false, fmt.Errorf("erase %s on partition %d: %w", e.Request, e.Partition, err)
	}
	return r, acted, nil
}

// erasePending decides a pending request on partition me, in tx.
func erasePending(ctx context.Context, tx pgx.Tx, me int, r *ErasureRequest) error {
	pid := text(r.ProfileID)
	var part int
	err := tx.QueryRow(ctx, `SELECT partition FROM profile_partitions WHERE profile_id = $1 FOR UPDATE`, pid).Scan(&part)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		// From before partitioning: this partition claims it, as a batch
		// writing it would, so that no other partition writes it meanwhile.
		tag, err := tx.Exec(ctx, `INSERT INTO profile_partitions (profile_id, partition) VALUES ($1, $2) ON CONFLICT DO NOTHING`, pid, me)
		if err != nil {
			return fmt.Errorf("claim profile %s: %w", r.ProfileID, err)
		}
		if tag.RowsAffected() != 1 {
			return rapport.Errorf(rapport.ECONFLICT, "another partition claimed profile %s", r.ProfileID)
		}
	case err != nil:
		return fmt.Errorf("lock partition of profile %s: %w", r.ProfileID, err)
	case part != me:
		r.Partition, r.Hop = part, r.Hop+1
		_, err := tx.Exec(ctx, `UPDATE erasures SET partition = $2, hop = $3 WHERE id = $1`, text(r.ID), r.Partition, r.Hop)
		return err
	}
	var found string
	err = tx.QueryRow(ctx, `SELECT id FROM profiles WHERE id = $1 FOR UPDATE`, pid).Scan(&found)
	if errors.Is(err, pgx.ErrNoRows) {
		r.State = ErasureMissing
		_, err := tx.Exec(ctx, `UPDATE erasures SET state = $2, decided_at = now() WHERE id = $1`, text(r.ID), r.State)
		return err
	} else if err != nil {
		return fmt.Errorf("lock profile %s: %w", r.ProfileID, err)
	}
	e := &rapport.Erasure{ProfileID: r.ProfileID}
	rows, _ := tx.Query(ctx, `SELECT kind, value FROM identities WHERE profile_id = $1 ORDER BY kind, value`, pid)
	if e.Identities, err = pgx.CollectRows(rows, pgx.RowToStructByPos[rapport.Identity]); err != nil {
		return fmt.Errorf("read identities of %s: %w", r.ProfileID, err)
	}
	if err := deleteAll(ctx, tx, pid, e); err != nil {
		return fmt.Errorf("delete profile %s: %w", r.ProfileID, err)
	}
	e.ErasedAt = time.Now().UTC()
	receipt, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode receipt: %w", err)
	}
	r.State, r.Receipt = ErasureErased, e
	_, err = tx.Exec(ctx, `UPDATE erasures SET state = $2, receipt = $3, decided_at = now() WHERE id = $1`, text(r.ID), r.State, string(receipt))
	return err
}

package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/rapportdev/rapport"
)

// DeleteProfile erases a person in one transaction: the events sent with
// its userId and anonymousId identities, its orders, the merges that name
// it, its score, its identities and the profile. It returns the receipt, or
// ENOTFOUND.
//
// Deleted rows would otherwise stay readable in free pages and in the
// write-ahead log, so the transaction runs with secure_delete (SQLite
// zeroes what it deletes) and is followed by a truncating checkpoint,
// which copies the zeroed pages into the file and empties the WAL.
func (s *Store) DeleteProfile(ctx context.Context, id string) (*rapport.Erasure, error) {
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("delete profile: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA secure_delete = ON`); err != nil {
		return nil, fmt.Errorf("delete profile: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA secure_delete = OFF`)
	e, err := deleteProfile(ctx, conn, id)
	if err != nil {
		return nil, err
	}
	// Readers holding an old snapshot can keep the checkpoint from
	// finishing; the erasure is committed either way, and the next
	// checkpoint completes it.
	if _, err := conn.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return nil, fmt.Errorf("delete profile %s: checkpoint: %w", id, err)
	}
	return e, nil
}

// deleteProfile runs the erasure's transaction on conn.
func deleteProfile(ctx context.Context, conn *sql.Conn, id string) (*rapport.Erasure, error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("delete profile: %w", err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM profiles WHERE id = ?`, id).Scan(&n); err != nil {
		return nil, fmt.Errorf("delete profile: %w", err)
	} else if n == 0 {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "profile %s not found", id)
	}
	e := &rapport.Erasure{ProfileID: id}
	if e.Identities, err = txIdentities(ctx, tx, id); err != nil {
		return nil, err
	}
	for _, d := range []struct {
		query string
		count *int64
	}{
		{`DELETE FROM events WHERE seq IN (` + profileEventsSQL + `)`, &e.Events},
		{`DELETE FROM orders WHERE profile_id = ?1`, &e.Orders},
		{`DELETE FROM merges WHERE from_id = ?1 OR into_id = ?1`, &e.Merges},
		{`DELETE FROM scores WHERE profile_id = ?1`, nil},
		{`DELETE FROM segment_members WHERE profile_id = ?1`, nil},
		{`DELETE FROM segment_history WHERE profile_id = ?1`, nil},
		// Offers: the person's decisions, pending answers and outcomes.
		{`DELETE FROM offer_pending WHERE decision_id IN (SELECT id FROM offer_decisions WHERE profile_id = ?1)`, nil},
		{`DELETE FROM offer_outcomes WHERE profile_id = ?1`, nil},
		{`DELETE FROM offer_decisions WHERE profile_id = ?1`, nil},
		// Bought leads: the person's lead records, contact attempts and
		// match keys, found through the lead:<person> anonymous ids.
		{`DELETE FROM lead_contacts WHERE lead_id IN (SELECT id FROM leads WHERE person_id IN (` + leadPersonsSQL + `))`, nil},
		{`DELETE FROM lead_conversions WHERE lead_id IN (SELECT id FROM leads WHERE person_id IN (` + leadPersonsSQL + `))`, nil},
		{`DELETE FROM leads WHERE person_id IN (` + leadPersonsSQL + `)`, &e.Leads},
		{`DELETE FROM lead_keys WHERE person_id IN (` + leadPersonsSQL + `)`, nil},
		{`DELETE FROM identities WHERE profile_id = ?1`, nil},
		{`DELETE FROM profiles WHERE id = ?1`, nil},
	} {
		res, err := tx.ExecContext(ctx, d.query, id)
		if err != nil {
			return nil, fmt.Errorf("delete profile %s: %w", id, err)
		}
		if d.count != nil {
			if *d.count, err = res.RowsAffected(); err != nil {
				return nil, fmt.Errorf("delete profile %s: %w", id, err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("delete profile %s: commit: %w", id, err)
	}
	e.ErasedAt = time.Now().UTC()
	return e, nil
}

// leadPersonsSQL selects the lead persons of profile ?1.
const leadPersonsSQL = `SELECT substr(value, 6) FROM identities
	WHERE profile_id = ?1 AND kind = 'anonymous_id' AND value LIKE 'lead:%'`

// txIdentities returns the profile's identities sorted by kind and value.
func txIdentities(ctx context.Context, tx *sql.Tx, id string) ([]rapport.Identity, error) {
	rows, err := tx.QueryContext(ctx, `SELECT kind, value FROM identities
		WHERE profile_id = ? ORDER BY kind, value`, id)
	if err != nil {
		return nil, fmt.Errorf("delete profile %s: %w", id, err)
	}
	defer rows.Close()
	ids := []rapport.Identity{}
	for rows.Next() {
		var i rapport.Identity
		if err := rows.Scan(&i.Kind, &i.Value); err != nil {
			return nil, fmt.Errorf("delete profile %s: %w", id, err)
		}
		ids = append(ids, i)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("delete profile %s: %w", id, err)
	}
	return ids, nil
}

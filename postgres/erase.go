package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rapportdev/rapport"
)

// DeleteProfile erases a person in one transaction: the events sent with
// its userId and anonymousId identities, its orders, the merges that name
// it, its score, its identities and the profile. It returns the receipt,
// or ENOTFOUND.
func (s *Store) DeleteProfile(ctx context.Context, id string) (*rapport.Erasure, error) {
	e := &rapport.Erasure{ProfileID: id}
	pid := text(id)
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var found string
		err := tx.QueryRow(ctx, `SELECT id FROM profiles WHERE id = $1 FOR UPDATE`, pid).Scan(&found)
		if errors.Is(err, pgx.ErrNoRows) {
			return rapport.Errorf(rapport.ENOTFOUND, "profile %s not found", id)
		} else if err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, `SELECT kind, value FROM identities WHERE profile_id = $1 ORDER BY kind, value`, pid)
		if e.Identities, err = pgx.CollectRows(rows, pgx.RowToStructByPos[rapport.Identity]); err != nil {
			return err
		}
		return deleteAll(ctx, tx, pid, e)
	})
	if err != nil {
		return nil, fmt.Errorf("delete profile %s: %w", id, err)
	}
	e.ErasedAt = time.Now().UTC()
	return e, nil
}

// deleteAll deletes everything of the profile and counts it in e.
// leadPersonsSQL selects the lead persons of profile $1.
const leadPersonsSQL = `SELECT substr(value, 6) FROM identities
	WHERE profile_id = $1 AND kind = 'anonymous_id' AND value LIKE 'lead:%'`

func deleteAll(ctx context.Context, tx pgx.Tx, id string, e *rapport.Erasure) error {
	for _, d := range []struct {
		query string
		count *int64
	}{
		{`DELETE FROM events WHERE seq IN (` + profileEventsSQL + `)`, &e.Events},
		{`DELETE FROM orders WHERE profile_id = $1`, &e.Orders},
		{`DELETE FROM merges WHERE from_id = $1 OR into_id = $1`, &e.Merges},
		{`DELETE FROM scores WHERE profile_id = $1`, nil},
		{`DELETE FROM segment_members WHERE profile_id = $1`, nil},
		{`DELETE FROM segment_history WHERE profile_id = $1`, nil},
		// Offers: the person's decisions, pending answers and outcomes.
		{`DELETE FROM offer_pending WHERE decision_id IN (SELECT id FROM offer_decisions WHERE profile_id = $1)`, nil},
		{`DELETE FROM offer_outcomes WHERE profile_id = $1`, nil},
		{`DELETE FROM offer_decisions WHERE profile_id = $1`, nil},
		// Bought leads: the person's lead records, contact attempts and
		// match keys, found through the lead:<person> anonymous ids.
		{`DELETE FROM lead_contacts WHERE lead_id IN (SELECT id FROM leads WHERE person_id IN (` + leadPersonsSQL + `))`, nil},
		{`DELETE FROM lead_conversions WHERE lead_id IN (SELECT id FROM leads WHERE person_id IN (` + leadPersonsSQL + `))`, nil},
		{`DELETE FROM leads WHERE person_id IN (` + leadPersonsSQL + `)`, &e.Leads},
		{`DELETE FROM lead_keys WHERE person_id IN (` + leadPersonsSQL + `)`, nil},
		{`DELETE FROM identities WHERE profile_id = $1`, nil},
		{`DELETE FROM profiles WHERE id = $1`, nil},
	} {
		tag, err := tx.Exec(ctx, d.query, id)
		if err != nil {
			return err
		}
		if d.count != nil {
			*d.count = tag.RowsAffected()
		}
	}
	return nil
}

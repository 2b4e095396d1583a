package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
)

// CreateVendor stores a valid vendor; ECONFLICT when the id is taken.
func (s *Store) CreateVendor(ctx context.Context, v *rapport.Vendor) error {
	body, err := storecodec.EncodeVendor(v)
	if err != nil {
		return err
	}
	tag, err := s.pool.Exec(ctx, `INSERT INTO vendors (id, body, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
		v.ID, jsonb(body), storecodec.Nanos(v.CreatedAt))
	if err != nil {
		return fmt.Errorf("create vendor %s: %w", v.ID, err)
	}
	if tag.RowsAffected() == 0 {
		return rapport.Errorf(rapport.ECONFLICT, "vendor %s already exists", v.ID)
	}
	return nil
}

// UpdateVendor replaces a stored vendor; ENOTFOUND when unknown.
func (s *Store) UpdateVendor(ctx context.Context, v *rapport.Vendor) error {
	body, err := storecodec.EncodeVendor(v)
	if err != nil {
		return err
	}
	tag, err := s.pool.Exec(ctx, `UPDATE vendors SET body = $1 WHERE id = $2`, jsonb(body), v.ID)
	if err != nil {
		return fmt.Errorf("update vendor %s: %w", v.ID, err)
	}
	if tag.RowsAffected() == 0 {
		return rapport.Errorf(rapport.ENOTFOUND, "vendor %s not found", v.ID)
	}
	return nil
}

// DeleteVendor removes a vendor no lead was bought from.
func (s *Store) DeleteVendor(ctx context.Context, id string) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var bought bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM leads WHERE vendor_id = $1)`, text(id)).Scan(&bought); err != nil {
			return fmt.Errorf("delete vendor %s: %w", id, err)
		}
		if bought {
			return rapport.Errorf(rapport.ECONFLICT, "vendor %s has leads: deactivate it instead", id)
		}
		tag, err := tx.Exec(ctx, `DELETE FROM vendors WHERE id = $1`, text(id))
		if err != nil {
			return fmt.Errorf("delete vendor %s: %w", id, err)
		}
		if tag.RowsAffected() == 0 {
			return rapport.Errorf(rapport.ENOTFOUND, "vendor %s not found", id)
		}
		return nil
	})
}

// FindVendorByID returns the vendor or ENOTFOUND.
func (s *Store) FindVendorByID(ctx context.Context, id string) (*rapport.Vendor, error) {
	var body []byte
	err := s.pool.QueryRow(ctx, `SELECT body FROM vendors WHERE id = $1`, text(id)).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "vendor %s not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find vendor %s: %w", id, err)
	}
	return storecodec.DecodeVendor(body)
}

// FindVendors returns every vendor by id.
func (s *Store) FindVendors(ctx context.Context) ([]*rapport.Vendor, error) {
	rows, _ := s.pool.Query(ctx, `SELECT body FROM vendors ORDER BY id`)
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*rapport.Vendor, error) {
		var body []byte
		if err := r.Scan(&body); err != nil {
			return nil, err
		}
		return storecodec.DecodeVendor(body)
	})
	if err != nil {
		return nil, fmt.Errorf("find vendors: %w", err)
	}
	return out, nil
}

// leadLockSQL serialises lead intake per schema for the transaction: two
// inquiries of one person arriving together must not both miss the
// other's keys and become two persons.
const leadLockSQL = `SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.rapport_leads'))`

// capLockSQL serialises, for the transaction, the intakes of one capped
// vendor across processes: counting the vendor's leads and storing the
// new ones must not interleave with another process's, or both could
// take the cap's last place. leadLockSQL serialises all intake today;
// the cap takes its own lock so that it holds whatever becomes of that
// one (which guards person matching, not caps).
const capLockSQL = `SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.rapport_cap:' || $1))`

// CreateLeads stores new leads, finding each one's person by its keys:
// the locks, then bulk reads and the caps' counts inside the
// transaction, the call resolved in memory (storecodec.PlanLeads), and
// the writes sent as one batch.
func (s *Store) CreateLeads(ctx context.Context, leads []rapport.Lead, keys [][]string, caps []rapport.LeadCap,
	complete func(*rapport.Lead)) ([]rapport.CreatedLead, error) {
	if err := storecodec.CheckLeads(leads, keys, caps); err != nil {
		return nil, err
	}
	var plan storecodec.LeadPlan
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// Cap locks first, in vendor order, then the schema's: every call
		// takes them in that order, so none waits on another in a cycle.
		for _, v := range storecodec.CapVendors(caps) {
			if _, err := tx.Exec(ctx, capLockSQL, text(v)); err != nil {
				return fmt.Errorf("lock the caps of %s: %w", v, err)
			}
		}
		if _, err := tx.Exec(ctx, leadLockSQL); err != nil {
			return err
		}
		st, err := readLeadState(ctx, tx, leads, storecodec.KeysOf(keys))
		if err != nil {
			return err
		}
		if st.Used, err = countCapped(ctx, tx, caps); err != nil {
			return err
		}
		plan = storecodec.PlanLeads(leads, keys, caps, st, complete)
		return writeLeadPlan(ctx, tx, &plan)
	})
	if err != nil {
		return nil, fmt.Errorf("create leads: %w", err)
	}
	return plan.Out, nil
}

// readLeadState reads the owners of keys, their histories, and the
// stored leads that a call's leads would repeat.
func readLeadState(ctx context.Context, q querier, leads []rapport.Lead, keys []string) (*storecodec.LeadState, error) {
	st := &storecodec.LeadState{Owners: map[string]string{}, History: map[string]*storecodec.PersonHistory{},
		Existing: map[[2]string]rapport.Lead{}}
	if err := readOwners(ctx, q, keys, st); err != nil {
		return nil, err
	}
	if err := readHistories(ctx, q, st); err != nil {
		return nil, err
	}
	vendors, exts := make([]string, len(leads)), make([]string, len(leads))
	for i := range leads {
		vendors[i], exts[i] = text(leads[i].VendorID), text(leads[i].ExternalID)
	}
	rows, _ := q.Query(ctx, `SELECT `+prefixed("l.", leadColumns)+`, l.vendor_id, l.external_id FROM leads l
		JOIN unnest($1::text[], $2::text[]) AS u(v, e) ON l.vendor_id = u.v AND l.external_id = u.e`, vendors, exts)
	var r storecodec.LeadRow
	var vendor, ext string
	_, err := pgx.ForEachRow(rows, []any{&r.PersonID, &r.Attempts, &r.FirstAttemptAt, &r.FirstContactAt, &r.ConvertedAt,
		&r.ConvertedValue, &r.AlertedAt, &r.ReturnedAt, &r.ReturnReason, &r.Credit, &r.Body, &vendor, &ext}, func() error {
		l, err := storecodec.DecodeLead(r)
		st.Existing[[2]string{vendor, ext}] = l
		return err
	})
	return st, err
}

// countCapped returns how many leads each cap holds already: its
// vendor's leads received since its Since. The caller holds the
// vendor's cap lock, and each statement of a READ COMMITTED transaction
// reads afresh, so the count sees every lead a process that held the
// lock before committed.
func countCapped(ctx context.Context, tx pgx.Tx, caps []rapport.LeadCap) ([]int, error) {
	used := make([]int, len(caps))
	for i, c := range caps {
		err := tx.QueryRow(ctx, `SELECT count(*) FROM leads WHERE vendor_id = $1 AND received_at >= $2`,
			text(c.VendorID), storecodec.Nanos(c.Since)).Scan(&used[i])
		if err != nil {
			return nil, fmt.Errorf("count leads of %s under %s: %w", c.VendorID, c.Term, err)
		}
	}
	return used, nil
}

func readOwners(ctx context.Context, q querier, keys []string, st *storecodec.LeadState) error {
	for i := range keys {
		keys[i] = text(keys[i])
	}
	rows, _ := q.Query(ctx, `SELECT key, person_id FROM lead_keys WHERE key = ANY($1)`, keys)
	var k, p string
	_, err := pgx.ForEachRow(rows, []any{&k, &p}, func() error {
		st.Owners[k] = p
		return nil
	})
	return err
}

func readHistories(ctx context.Context, q querier, st *storecodec.LeadState) error {
	var persons []string
	for _, p := range st.Owners {
		persons = append(persons, p)
	}
	if len(persons) == 0 {
		return nil
	}
	rows, _ := q.Query(ctx, `SELECT person_id, vendor_id, count(*), max(submitted_at) FROM leads
		WHERE person_id = ANY($1) GROUP BY person_id, vendor_id`, persons)
	var person, vendor string
	var n int
	var last int64
	_, err := pgx.ForEachRow(rows, []any{&person, &vendor, &n, &last}, func() error {
		h := st.History[person]
		if h == nil {
			h = &storecodec.PersonHistory{Vendors: map[string]bool{}}
			st.History[person] = h
		}
		h.N += n
		if t := storecodec.FromNanos(&last); t.After(h.Last) {
			h.Last = t
		}
		h.Vendors[vendor] = true
		return nil
	})
	return err
}

// prefixed puts a table alias before each column of a column list.
func prefixed(alias, columns string) string {
	return alias + strings.ReplaceAll(columns, ", ", ", "+alias)
}

// writeLeadPlan applies the merges, then inserts the new leads and keys,
// as one batch.
func writeLeadPlan(ctx context.Context, tx pgx.Tx, p *storecodec.LeadPlan) error {
	b := &pgx.Batch{}
	for _, m := range p.Merges {
		b.Queue(`UPDATE leads SET person_id = $1 WHERE person_id = $2`, m[1], m[0])
		b.Queue(`UPDATE lead_keys SET person_id = $1 WHERE person_id = $2`, m[1], m[0])
	}
	for _, l := range p.New {
		body, err := storecodec.EncodeLead(l)
		if err != nil {
			return err
		}
		f := storecodec.FactsOf(&l)
		b.Queue(`INSERT INTO leads (id, vendor_id, external_id, person_id, submitted_at, received_at, tier, body,
			price, contactable, bot, inquiry, engagement, expected, max_price, over_cap)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`, text(l.ID), text(l.VendorID), text(l.ExternalID),
			text(l.PersonID), storecodec.Nanos(l.SubmittedAt), storecodec.Nanos(l.ReceivedAt), text(l.Tier), jsonb(body),
			f.Price, f.Contactable, f.Bot, f.Inquiry, f.Engagement, f.Expected, f.MaxPrice, f.OverCap)
	}
	for _, k := range p.NewKeys {
		b.Queue(`INSERT INTO lead_keys (key, person_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, text(k[0]), text(k[1]))
	}
	return tx.SendBatch(ctx, b).Close()
}

// FindLeadHistory returns the history the keys find.
func (s *Store) FindLeadHistory(ctx context.Context, keys []string) (rapport.LeadHistory, error) {
	if len(keys) == 0 {
		return rapport.LeadHistory{}, nil
	}
	st := &storecodec.LeadState{Owners: map[string]string{}, History: map[string]*storecodec.PersonHistory{}}
	err := readOwners(ctx, s.pool, slices.Clone(keys), st)
	if err == nil {
		err = readHistories(ctx, s.pool, st)
	}
	if err != nil {
		return rapport.LeadHistory{}, fmt.Errorf("find lead history: %w", err)
	}
	return storecodec.HistoryOf(keys, st), nil
}

const leadColumns = `person_id, attempts, first_attempt_at, first_contact_at, converted_at, converted_value, alerted_at, returned_at, return_reason, credit, body`

func scanLead(row pgx.CollectableRow) (rapport.Lead, error) {
	var r storecodec.LeadRow
	if err := row.Scan(&r.PersonID, &r.Attempts, &r.FirstAttemptAt, &r.FirstContactAt, &r.ConvertedAt,
		&r.ConvertedValue, &r.AlertedAt, &r.ReturnedAt, &r.ReturnReason, &r.Credit, &r.Body); err != nil {
		return rapport.Lead{}, err
	}
	return storecodec.DecodeLead(r)
}

// findLead reads the one lead where holds, or ENOTFOUND.
func findLead(ctx context.Context, q querier, where string, args ...any) (rapport.Lead, error) {
	rows, _ := q.Query(ctx, `SELECT `+leadColumns+` FROM leads WHERE `+where, args...)
	l, err := pgx.CollectExactlyOneRow(rows, scanLead)
	if errors.Is(err, pgx.ErrNoRows) {
		return l, rapport.Errorf(rapport.ENOTFOUND, "lead not found")
	}
	return l, err
}

// FindLeadByID returns the lead or ENOTFOUND.
func (s *Store) FindLeadByID(ctx context.Context, id string) (*rapport.Lead, error) {
	l, err := findLead(ctx, s.pool, `id = $1`, text(id))
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "lead %s not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find lead %s: %w", id, err)
	}
	return &l, nil
}

// FindBoughtLeads returns a page of leads, newest received first.
func (s *Store) FindBoughtLeads(ctx context.Context, f rapport.BoughtLeadFilter) ([]rapport.Lead, int, error) {
	where := `($1 = '' OR vendor_id = $1) AND ($2 = '' OR person_id = $2) AND received_at >= $3 AND received_at < $4
		AND ($5 = '' OR external_id = $5) AND (NOT $6 OR NOT contactable) AND (NOT $7 OR returned_at IS NOT NULL)`
	since, until := leadRange(f.Since, f.Until)
	args := []any{text(f.VendorID), text(f.PersonID), since, until, text(f.ExternalID), f.ConsentFailed, f.Returned}
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM leads WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count leads: %w", err)
	}
	rows, _ := s.pool.Query(ctx, `SELECT `+leadColumns+` FROM leads WHERE `+where+
		` ORDER BY received_at DESC, id DESC LIMIT $8 OFFSET $9`, append(args, storecodec.PageLimit(f.Limit), max(f.Offset, 0))...)
	out, err := pgx.CollectRows(rows, scanLead)
	if err != nil {
		return nil, 0, fmt.Errorf("find leads: %w", err)
	}
	return out, total, nil
}

// leadRange returns the bounds of a time range as nanoseconds; a zero
// time leaves that side open.
func leadRange(since, until time.Time) (int64, int64) {
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if !since.IsZero() {
		lo = storecodec.Nanos(since)
	}
	if !until.IsZero() {
		hi = storecodec.Nanos(until)
	}
	return lo, hi
}

// FindWaitingLeads returns leads of the tier waiting for a first attempt.
func (s *Store) FindWaitingLeads(ctx context.Context, tier string, submittedBefore time.Time, limit int) ([]rapport.Lead, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+leadColumns+` FROM leads WHERE tier = $1 AND submitted_at <= $2
		AND first_attempt_at IS NULL AND alerted_at IS NULL ORDER BY submitted_at, id LIMIT $3`,
		text(tier), storecodec.Nanos(submittedBefore), storecodec.PageLimit(limit))
	out, err := pgx.CollectRows(rows, scanLead)
	if err != nil {
		return nil, fmt.Errorf("find waiting %s leads: %w", tier, err)
	}
	return out, nil
}

// recordContactSQL counts an attempt on its lead (see the SQLite one).
const recordContactSQL = `UPDATE leads SET attempts = attempts + 1,
	first_attempt_at = LEAST(coalesce(first_attempt_at, $1), $1),
	first_contact_at = CASE WHEN $2 THEN LEAST(coalesce(first_contact_at, $1), $1) ELSE first_contact_at END,
	converted_at = CASE WHEN $3 THEN LEAST(coalesce(converted_at, $1), $1) ELSE converted_at END,
	converted_value = converted_value + $4
	WHERE id = $5`

// RecordLeadContacts stores attempts and updates their leads.
func (s *Store) RecordLeadContacts(ctx context.Context, contacts []rapport.LeadContact) error {
	if err := storecodec.CheckLeadContacts(contacts); err != nil {
		return err
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		for _, c := range contacts {
			if err := recordContact(ctx, tx, c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record contacts: %w", err)
	}
	return nil
}

func recordContact(ctx context.Context, tx pgx.Tx, c rapport.LeadContact) error {
	body, err := json.Marshal(c)
	if err != nil {
		return err
	}
	tag, err := tx.Exec(ctx, `INSERT INTO lead_contacts (message_id, lead_id, at, body) VALUES ($1, $2, $3, $4)
		ON CONFLICT DO NOTHING`, text(c.MessageID), text(c.LeadID), storecodec.Nanos(c.At), jsonb(body))
	if err != nil || tag.RowsAffected() == 0 {
		return err
	}
	value := 0.0
	if c.Converted {
		value = c.Value
	}
	tag, err = tx.Exec(ctx, recordContactSQL, storecodec.Nanos(c.At), c.Reached, c.Converted, value, text(c.LeadID))
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return rapport.Errorf(rapport.ENOTFOUND, "lead %s not found", c.LeadID)
	}
	return nil
}

// FindLeadContacts returns the attempts on the leads received in range.
func (s *Store) FindLeadContacts(ctx context.Context, since, until time.Time) ([]rapport.LeadContact, error) {
	lo, hi := leadRange(since, until)
	rows, _ := s.pool.Query(ctx, `SELECT c.body FROM lead_contacts c JOIN leads l ON l.id = c.lead_id
		WHERE l.received_at >= $1 AND l.received_at < $2 ORDER BY c.at, c.message_id`, lo, hi)
	out, err := pgx.CollectRows(rows, scanContact)
	if err != nil {
		return nil, fmt.Errorf("find contacts: %w", err)
	}
	return out, nil
}

// AlertLeads marks leads alerted and queues their notifications.
func (s *Store) AlertLeads(ctx context.Context, alerts []rapport.LeadAlert) (int, error) {
	var ns []rapport.Notification
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		ns = ns[:0]
		for _, a := range alerts {
			tag, err := tx.Exec(ctx, `UPDATE leads SET alerted_at = $1 WHERE id = $2 AND alerted_at IS NULL`,
				storecodec.Nanos(a.At), text(a.LeadID))
			if err != nil {
				return fmt.Errorf("alert lead %s: %w", a.LeadID, err)
			}
			if tag.RowsAffected() == 1 {
				ns = append(ns, a.Notification)
			}
		}
		if err := storecodec.CheckNotifications(ns); err != nil {
			return err
		}
		b := &pgx.Batch{}
		if err := queueNotifications(ctx, tx, b, ns); err != nil {
			return err
		}
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return 0, fmt.Errorf("alert leads: %w", err)
	}
	return len(ns), nil
}

// scanContact reads a contact attempt stored as a JSON body.
func scanContact(r pgx.CollectableRow) (rapport.LeadContact, error) {
	var body []byte
	var c rapport.LeadContact
	if err := r.Scan(&body); err != nil {
		return c, err
	}
	return c, json.Unmarshal(body, &c)
}

package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
)

// CreateVendor stores a valid vendor; ECONFLICT when the id is taken.
func (s *Store) CreateVendor(ctx context.Context, v *rapport.Vendor) error {
	body, err := storecodec.EncodeVendor(v)
	if err != nil {
		return err
	}
	res, err := s.write.ExecContext(ctx, `INSERT INTO vendors (id, body, created_at) VALUES (?, ?, ?)
		ON CONFLICT DO NOTHING`, v.ID, string(body), storecodec.Nanos(v.CreatedAt))
	if err != nil {
		return fmt.Errorf("create vendor %s: %w", v.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
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
	res, err := s.write.ExecContext(ctx, `UPDATE vendors SET body = ? WHERE id = ?`, string(body), v.ID)
	if err != nil {
		return fmt.Errorf("update vendor %s: %w", v.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return rapport.Errorf(rapport.ENOTFOUND, "vendor %s not found", v.ID)
	}
	return nil
}

// DeleteVendor removes a vendor no lead was bought from.
func (s *Store) DeleteVendor(ctx context.Context, id string) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("delete vendor %s: %w", id, err)
	}
	defer tx.Rollback()
	var bought int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM leads WHERE vendor_id = ? LIMIT 1)`, id).Scan(&bought); err != nil {
		return fmt.Errorf("delete vendor %s: %w", id, err)
	}
	if bought > 0 {
		return rapport.Errorf(rapport.ECONFLICT, "vendor %s has leads: deactivate it instead", id)
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM vendors WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete vendor %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return rapport.Errorf(rapport.ENOTFOUND, "vendor %s not found", id)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("delete vendor %s: %w", id, err)
	}
	return nil
}

// FindVendorByID returns the vendor or ENOTFOUND.
func (s *Store) FindVendorByID(ctx context.Context, id string) (*rapport.Vendor, error) {
	var body []byte
	err := s.read.QueryRowContext(ctx, `SELECT body FROM vendors WHERE id = ?`, id).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "vendor %s not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find vendor %s: %w", id, err)
	}
	return storecodec.DecodeVendor(body)
}

// FindVendors returns every vendor by id.
func (s *Store) FindVendors(ctx context.Context) ([]*rapport.Vendor, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT body FROM vendors ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("find vendors: %w", err)
	}
	defer rows.Close()
	out := []*rapport.Vendor{}
	for rows.Next() {
		var body []byte
		if err := rows.Scan(&body); err != nil {
			return nil, fmt.Errorf("find vendors: %w", err)
		}
		v, err := storecodec.DecodeVendor(body)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// CreateLeads stores new leads, finding each one's person by its keys. It
// reads what it needs in a few bulk queries inside the write transaction,
// resolves the call in memory (storecodec.PlanLeads) and writes the new
// leads and keys in multi-row inserts: SQLite has one writer, so the
// statements per call, not per lead, bound the intake rate. The caps are
// counted inside the transaction too: it begins IMMEDIATE, taking the
// database's one write lock, so no other store, in this process or
// another, can add a lead between the count and the insert.
func (s *Store) CreateLeads(ctx context.Context, leads []rapport.Lead, keys [][]string, caps []rapport.LeadCap,
	complete func(*rapport.Lead)) ([]rapport.CreatedLead, error) {
	if err := storecodec.CheckLeads(leads, keys, caps); err != nil {
		return nil, err
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("create leads: %w", err)
	}
	defer tx.Rollback()
	st, err := readLeadState(ctx, tx, leads, storecodec.KeysOf(keys))
	if err != nil {
		return nil, fmt.Errorf("create leads: %w", err)
	}
	if st.Used, err = countCapped(ctx, tx, caps); err != nil {
		return nil, fmt.Errorf("create leads: %w", err)
	}
	plan := storecodec.PlanLeads(leads, keys, caps, st, complete)
	if err := writeLeadPlan(ctx, tx, &plan); err != nil {
		return nil, fmt.Errorf("create leads: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("create leads: %w", err)
	}
	return plan.Out, nil
}

// countCapped returns how many leads each cap holds already: its
// vendor's leads received since its Since (leads_vendor_delay serves it).
func countCapped(ctx context.Context, tx *sql.Tx, caps []rapport.LeadCap) ([]int, error) {
	used := make([]int, len(caps))
	for i, c := range caps {
		err := tx.QueryRowContext(ctx, `SELECT count(*) FROM leads WHERE vendor_id = ? AND received_at >= ?`,
			c.VendorID, storecodec.Nanos(c.Since)).Scan(&used[i])
		if err != nil {
			return nil, fmt.Errorf("count leads of %s under %s: %w", c.VendorID, c.Term, err)
		}
	}
	return used, nil
}

// rowsQueryer runs a query in a transaction or a pool.
type rowsQueryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// readLeadState reads the owners of keys, their histories, and the
// stored leads that a call's leads would repeat.
func readLeadState(ctx context.Context, q rowsQueryer, leads []rapport.Lead, keys []string) (*storecodec.LeadState, error) {
	st := &storecodec.LeadState{Owners: map[string]string{}, History: map[string]*storecodec.PersonHistory{},
		Existing: map[[2]string]rapport.Lead{}}
	if err := readOwners(ctx, q, keys, st); err != nil {
		return nil, err
	}
	if err := readHistories(ctx, q, st); err != nil {
		return nil, err
	}
	return st, readExisting(ctx, q, leads, st)
}

func readOwners(ctx context.Context, q rowsQueryer, keys []string, st *storecodec.LeadState) error {
	list, _ := json.Marshal(keys) // strings always encode
	rows, err := q.QueryContext(ctx, `SELECT key, person_id FROM lead_keys WHERE key IN (SELECT value FROM json_each(?))`, string(list))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k, p string
		if err := rows.Scan(&k, &p); err != nil {
			return err
		}
		st.Owners[k] = p
	}
	return rows.Err()
}

func readHistories(ctx context.Context, q rowsQueryer, st *storecodec.LeadState) error {
	var persons []string
	for _, p := range st.Owners {
		persons = append(persons, p)
	}
	if len(persons) == 0 {
		return nil
	}
	list, _ := json.Marshal(persons)
	rows, err := q.QueryContext(ctx, `SELECT person_id, vendor_id, count(*), max(submitted_at) FROM leads
		WHERE person_id IN (SELECT value FROM json_each(?)) GROUP BY person_id, vendor_id`, string(list))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var person, vendor string
		var n int
		var last int64
		if err := rows.Scan(&person, &vendor, &n, &last); err != nil {
			return err
		}
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
	}
	return rows.Err()
}

func readExisting(ctx context.Context, q rowsQueryer, leads []rapport.Lead, st *storecodec.LeadState) error {
	pairs := make([][2]string, len(leads))
	for i := range leads {
		pairs[i] = [2]string{leads[i].VendorID, leads[i].ExternalID}
	}
	list, _ := json.Marshal(pairs)
	rows, err := q.QueryContext(ctx, `SELECT `+prefixed("l.", leadColumns)+`, l.vendor_id, l.external_id
		FROM json_each(?) j JOIN leads l ON l.vendor_id = json_extract(j.value, '$[0]') AND l.external_id = json_extract(j.value, '$[1]')`,
		string(list))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r storecodec.LeadRow
		var vendor, ext string
		if err := rows.Scan(&r.PersonID, &r.Attempts, &r.FirstAttemptAt, &r.FirstContactAt, &r.ConvertedAt,
			&r.ConvertedValue, &r.AlertedAt, &r.ReturnedAt, &r.ReturnReason, &r.Credit, &r.Body, &vendor, &ext); err != nil {
			return err
		}
		l, err := storecodec.DecodeLead(r)
		if err != nil {
			return err
		}
		st.Existing[[2]string{vendor, ext}] = l
	}
	return rows.Err()
}

// prefixed puts a table alias before each column of a column list.
func prefixed(alias, columns string) string {
	return alias + strings.ReplaceAll(columns, ", ", ", "+alias)
}

// insertChunk is the rows of one multi-row insert: 16 parameters a lead
// row, well under SQLite's limit on parameters.
const insertChunk = 200

// writeLeadPlan applies the merges, then inserts the new leads and keys.
func writeLeadPlan(ctx context.Context, tx *sql.Tx, p *storecodec.LeadPlan) error {
	for _, m := range p.Merges {
		if err := mergePersons(ctx, tx, m[0], m[1]); err != nil {
			return err
		}
	}
	for lo := 0; lo < len(p.New); lo += insertChunk {
		chunk := p.New[lo:min(lo+insertChunk, len(p.New))]
		args := make([]any, 0, 16*len(chunk))
		for _, l := range chunk {
			body, err := storecodec.EncodeLead(l)
			if err != nil {
				return err
			}
			f := storecodec.FactsOf(&l)
			args = append(args, l.ID, l.VendorID, l.ExternalID, l.PersonID, storecodec.Nanos(l.SubmittedAt),
				storecodec.Nanos(l.ReceivedAt), l.Tier, body, f.Price, f.Contactable, f.Bot, f.Inquiry, f.Engagement,
				f.Expected, f.MaxPrice, f.OverCap)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO leads (id, vendor_id, external_id, person_id, submitted_at, received_at, tier, body,
			price, contactable, bot, inquiry, engagement, expected, max_price, over_cap)
			VALUES `+placeholders(len(chunk), 16), args...); err != nil {
			return fmt.Errorf("insert leads: %w", err)
		}
	}
	for lo := 0; lo < len(p.NewKeys); lo += insertChunk {
		chunk := p.NewKeys[lo:min(lo+insertChunk, len(p.NewKeys))]
		args := make([]any, 0, 2*len(chunk))
		for _, k := range chunk {
			args = append(args, k[0], k[1])
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO lead_keys (key, person_id) VALUES `+placeholders(len(chunk), 2)+
			` ON CONFLICT DO NOTHING`, args...); err != nil {
			return fmt.Errorf("insert lead keys: %w", err)
		}
	}
	return nil
}

// placeholders returns rows groups of n question marks: "(?, ?), (?, ?)".
func placeholders(rows, n int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")"
	return strings.TrimSuffix(strings.Repeat(one+", ", rows), ", ")
}

// mergePersons moves the leads and keys of person from into person into.
func mergePersons(ctx context.Context, tx *sql.Tx, from, into string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE leads SET person_id = ? WHERE person_id = ?`, into, from); err != nil {
		return fmt.Errorf("merge person %s into %s: %w", from, into, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE lead_keys SET person_id = ? WHERE person_id = ?`, into, from); err != nil {
		return fmt.Errorf("merge person %s into %s: %w", from, into, err)
	}
	return nil
}

// FindLeadHistory returns the history the keys find.
func (s *Store) FindLeadHistory(ctx context.Context, keys []string) (rapport.LeadHistory, error) {
	if len(keys) == 0 {
		return rapport.LeadHistory{}, nil
	}
	st := &storecodec.LeadState{Owners: map[string]string{}, History: map[string]*storecodec.PersonHistory{}}
	err := readOwners(ctx, s.read, keys, st)
	if err == nil {
		err = readHistories(ctx, s.read, st)
	}
	if err != nil {
		return rapport.LeadHistory{}, fmt.Errorf("find lead history: %w", err)
	}
	return storecodec.HistoryOf(keys, st), nil
}

const leadColumns = `person_id, attempts, first_attempt_at, first_contact_at, converted_at, converted_value, alerted_at, returned_at, return_reason, credit, body`

func scanLead(row scanner) (rapport.Lead, error) {
	var r storecodec.LeadRow
	if err := row.Scan(&r.PersonID, &r.Attempts, &r.FirstAttemptAt, &r.FirstContactAt, &r.ConvertedAt,
		&r.ConvertedValue, &r.AlertedAt, &r.ReturnedAt, &r.ReturnReason, &r.Credit, &r.Body); err != nil {
		return rapport.Lead{}, err
	}
	return storecodec.DecodeLead(r)
}

// findLead reads the one lead where holds, or ENOTFOUND.
func findLead(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, where string, args ...any) (rapport.Lead, error) {
	l, err := scanLead(q.QueryRowContext(ctx, `SELECT `+leadColumns+` FROM leads WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return l, rapport.Errorf(rapport.ENOTFOUND, "lead not found")
	}
	return l, err
}

// FindLeadByID returns the lead or ENOTFOUND.
func (s *Store) FindLeadByID(ctx context.Context, id string) (*rapport.Lead, error) {
	l, err := findLead(ctx, s.read, `id = ?`, id)
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
	where := `(? = '' OR vendor_id = ?) AND (? = '' OR person_id = ?) AND received_at >= ? AND received_at < ?
		AND (? = '' OR external_id = ?) AND (NOT ? OR contactable = 0) AND (NOT ? OR returned_at IS NOT NULL)`
	since, until := leadRange(f.Since, f.Until)
	args := []any{f.VendorID, f.VendorID, f.PersonID, f.PersonID, since, until, f.ExternalID, f.ExternalID,
		f.ConsentFailed, f.Returned}
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM leads WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count leads: %w", err)
	}
	out, err := s.queryLeads(ctx, `SELECT `+leadColumns+` FROM leads WHERE `+where+
		` ORDER BY received_at DESC, id DESC LIMIT ? OFFSET ?`, append(args, storecodec.PageLimit(f.Limit), max(f.Offset, 0))...)
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
	out, err := s.queryLeads(ctx, `SELECT `+leadColumns+` FROM leads WHERE tier = ? AND submitted_at <= ?
		AND first_attempt_at IS NULL AND alerted_at IS NULL ORDER BY submitted_at, id LIMIT ?`,
		tier, storecodec.Nanos(submittedBefore), storecodec.PageLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("find waiting %s leads: %w", tier, err)
	}
	return out, nil
}

func (s *Store) queryLeads(ctx context.Context, query string, args ...any) ([]rapport.Lead, error) {
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []rapport.Lead{}
	for rows.Next() {
		l, err := scanLead(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// recordContactSQL counts an attempt on its lead: the earliest attempt,
// the earliest one that reached the person, the earliest conversion and
// the value of every sale.
const recordContactSQL = `UPDATE leads SET attempts = attempts + 1,
	first_attempt_at = min(coalesce(first_attempt_at, ?1), ?1),
	first_contact_at = CASE WHEN ?2 THEN min(coalesce(first_contact_at, ?1), ?1) ELSE first_contact_at END,
	converted_at = CASE WHEN ?3 THEN min(coalesce(converted_at, ?1), ?1) ELSE converted_at END,
	converted_value = converted_value + ?4
	WHERE id = ?5`

// RecordLeadContacts stores attempts and updates their leads.
func (s *Store) RecordLeadContacts(ctx context.Context, contacts []rapport.LeadContact) error {
	if err := storecodec.CheckLeadContacts(contacts); err != nil {
		return err
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("record contacts: %w", err)
	}
	defer tx.Rollback()
	for _, c := range contacts {
		body, err := json.Marshal(c)
		if err != nil {
			return fmt.Errorf("record contact %s: %w", c.MessageID, err)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO lead_contacts (message_id, lead_id, at, body) VALUES (?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, c.MessageID, c.LeadID, storecodec.Nanos(c.At), string(body))
		if err != nil {
			return fmt.Errorf("record contact %s: %w", c.MessageID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue
		}
		value := 0.0
		if c.Converted {
			value = c.Value
		}
		res, err = tx.ExecContext(ctx, recordContactSQL, storecodec.Nanos(c.At), c.Reached, c.Converted, value, c.LeadID)
		if err != nil {
			return fmt.Errorf("record contact %s: %w", c.MessageID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return rapport.Errorf(rapport.ENOTFOUND, "lead %s not found", c.LeadID)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("record contacts: %w", err)
	}
	return nil
}

// FindLeadContacts returns the attempts on the leads received in range.
func (s *Store) FindLeadContacts(ctx context.Context, since, until time.Time) ([]rapport.LeadContact, error) {
	lo, hi := leadRange(since, until)
	rows, err := s.read.QueryContext(ctx, `SELECT c.body FROM lead_contacts c JOIN leads l ON l.id = c.lead_id
		WHERE l.received_at >= ? AND l.received_at < ? ORDER BY c.at, c.message_id`, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("find contacts: %w", err)
	}
	return scanContacts(rows)
}

// scanContacts reads contact attempts stored as JSON bodies, and closes
// rows.
func scanContacts(rows *sql.Rows) ([]rapport.LeadContact, error) {
	defer rows.Close()
	out := []rapport.LeadContact{}
	for rows.Next() {
		var body []byte
		var c rapport.LeadContact
		if err := rows.Scan(&body); err != nil {
			return nil, fmt.Errorf("find contacts: %w", err)
		}
		if err := json.Unmarshal(body, &c); err != nil {
			return nil, fmt.Errorf("find contacts: decode: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// AlertLeads marks leads alerted and queues their notifications.
func (s *Store) AlertLeads(ctx context.Context, alerts []rapport.LeadAlert) (int, error) {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("alert leads: %w", err)
	}
	defer tx.Rollback()
	var ns []rapport.Notification
	for _, a := range alerts {
		res, err := tx.ExecContext(ctx, `UPDATE leads SET alerted_at = ? WHERE id = ? AND alerted_at IS NULL`,
			storecodec.Nanos(a.At), a.LeadID)
		if err != nil {
			return 0, fmt.Errorf("alert lead %s: %w", a.LeadID, err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			ns = append(ns, a.Notification)
		}
	}
	if err := storecodec.CheckNotifications(ns); err != nil {
		return 0, err
	}
	if err := enqueue(ctx, tx, ns); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("alert leads: %w", err)
	}
	return len(ns), nil
}

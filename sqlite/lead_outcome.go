package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
)

// convertLeadSQL credits a sale to its lead: the earliest conversion
// time, every order's revenue.
const convertLeadSQL = `UPDATE leads SET converted_at = min(coalesce(converted_at, ?1), ?1),
	converted_value = converted_value + ?2 WHERE id = ?3`

// ConvertLeads credits orders to leads and moves the sweep's cursor.
func (s *Store) ConvertLeads(ctx context.Context, cs []rapport.LeadConversion, through int64) (int, error) {
	if err := storecodec.CheckLeadConversions(cs); err != nil {
		return 0, err
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("convert leads: %w", err)
	}
	defer tx.Rollback()
	n := 0
	for _, c := range cs {
		ok, err := convertLead(ctx, tx, c)
		if err != nil {
			return 0, fmt.Errorf("convert lead %s by %s: %w", c.LeadID, c.MessageID, err)
		}
		count(&n, ok)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO lead_cursors (name, seq) VALUES (?1, ?2)
		ON CONFLICT (name) DO UPDATE SET seq = max(seq, excluded.seq)`, storecodec.ConversionCursor, through); err != nil {
		return 0, fmt.Errorf("convert leads: move cursor: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("convert leads: %w", err)
	}
	return n, nil
}

// convertLead records one conversion unless its order is recorded or its
// lead is gone (erased since the sweep read it), and reports whether it
// did.
func convertLead(ctx context.Context, tx *sql.Tx, c rapport.LeadConversion) (bool, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO lead_conversions (message_id, lead_id, at, revenue) VALUES (?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, c.MessageID, c.LeadID, storecodec.Nanos(c.At), c.Revenue)
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	res, err = tx.ExecContext(ctx, convertLeadSQL, storecodec.Nanos(c.At), c.Revenue, c.LeadID)
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		_, err := tx.ExecContext(ctx, `DELETE FROM lead_conversions WHERE message_id = ?`, c.MessageID)
		return false, err
	}
	return true, nil
}

func count(n *int, ok bool) {
	if ok {
		*n++
	}
}

// LeadConversionCursor returns the seq the sweep last recorded.
func (s *Store) LeadConversionCursor(ctx context.Context) (int64, error) {
	var seq int64
	err := s.read.QueryRowContext(ctx, `SELECT seq FROM lead_cursors WHERE name = ?`, storecodec.ConversionCursor).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read conversion cursor: %w", err)
	}
	return seq, nil
}

// ReturnLead marks a lead returned.
func (s *Store) ReturnLead(ctx context.Context, r rapport.LeadReturn) error {
	if err := storecodec.CheckLeadReturn(r); err != nil {
		return err
	}
	res, err := s.write.ExecContext(ctx, `UPDATE leads SET returned_at = ?, return_reason = ?, credit = ?
		WHERE id = ? AND returned_at IS NULL`, storecodec.Nanos(r.At), r.Reason, r.Credit, r.LeadID)
	if err != nil {
		return fmt.Errorf("return lead %s: %w", r.LeadID, err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	if _, err := s.FindLeadByID(ctx, r.LeadID); err != nil {
		return err
	}
	return rapport.Errorf(rapport.ECONFLICT, "lead %s was returned already", r.LeadID)
}

// leadTotalsSQL adds up the leads of a range per vendor and UTC day. It
// groups in the order of the index leads_report (day, then vendor), so
// SQLite streams the range once without sorting it; the bounds on
// received_day (one day wider: division truncates) let it seek.
const leadTotalsSQL = `SELECT vendor_id, received_day, count(*), sum(price),
	sum(first_contact_at IS NOT NULL), sum(converted_at IS NOT NULL), sum(converted_value),
	sum(contactable = 0), sum(bot), sum(inquiry > 1), sum(contactable = 1 AND price > max_price), sum(over_cap),
	sum(returned_at IS NOT NULL), sum(credit), sum(engagement), sum(expected), sum(max_price)
	FROM leads WHERE (?1 = '' OR vendor_id = ?1) AND received_day >= ?2 / ?4 - 1 AND received_day <= ?3 / ?4 + 1
	AND received_at >= ?2 AND received_at < ?3
	GROUP BY received_day, vendor_id`

// FindLeadTotals returns the totals per vendor and day.
func (s *Store) FindLeadTotals(ctx context.Context, f rapport.BoughtLeadFilter) ([]rapport.LeadTotals, error) {
	lo, hi := leadRange(f.Since, f.Until)
	rows, err := s.read.QueryContext(ctx, leadTotalsSQL, f.VendorID, lo, hi, storecodec.DayNanos)
	if err != nil {
		return nil, fmt.Errorf("find lead totals: %w", err)
	}
	defer rows.Close()
	out := []rapport.LeadTotals{}
	for rows.Next() {
		var t rapport.LeadTotals
		var day int64
		if err := rows.Scan(&t.VendorID, &day, &t.Leads, &t.Spend, &t.Contacted, &t.Conversions, &t.Revenue,
			&t.ConsentFailures, &t.Bots, &t.Duplicates, &t.Overpaid, &t.OverCap, &t.Returns, &t.Credits,
			&t.Engagement, &t.Expected, &t.MaxPrice); err != nil {
			return nil, fmt.Errorf("find lead totals: %w", err)
		}
		t.Day = storecodec.DayOf(day)
		out = append(out, t)
	}
	storecodec.SortLeadTotals(out)
	return out, rows.Err()
}

// FindLeadDelays returns ages at delivery, smallest first. With a
// vendor, the vendor's range is read from the covering index
// leads_vendor_delay alone.
func (s *Store) FindLeadDelays(ctx context.Context, f rapport.BoughtLeadFilter, offset, limit int) ([]time.Duration, error) {
	lo, hi := leadRange(f.Since, f.Until)
	where, args := `received_at >= ? AND received_at < ?`, []any{lo, hi}
	if f.VendorID != "" {
		where, args = `vendor_id = ? AND `+where, append([]any{f.VendorID}, args...)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT received_at - submitted_at AS d FROM leads WHERE `+where+
		` ORDER BY d LIMIT ? OFFSET ?`, append(args, storecodec.PageLimit(limit), max(offset, 0))...)
	if err != nil {
		return nil, fmt.Errorf("find lead delays: %w", err)
	}
	defer rows.Close()
	out := []time.Duration{}
	for rows.Next() {
		var d int64
		if err := rows.Scan(&d); err != nil {
			return nil, fmt.Errorf("find lead delays: %w", err)
		}
		out = append(out, time.Duration(d))
	}
	return out, rows.Err()
}

// FindDuplicatePersons returns a page of persons with several leads.
func (s *Store) FindDuplicatePersons(ctx context.Context, f rapport.BoughtLeadFilter) ([]string, int, error) {
	lo, hi := leadRange(f.Since, f.Until)
	const groups = `SELECT person_id, count(*) AS n, max(submitted_at) AS last FROM leads
		WHERE (?1 = '' OR vendor_id = ?1) AND received_at >= ?2 AND received_at < ?3 GROUP BY person_id HAVING count(*) > 1`
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM (`+groups+`)`, f.VendorID, lo, hi).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count duplicate persons: %w", err)
	}
	rows, err := s.read.QueryContext(ctx, groups+` ORDER BY n DESC, last DESC, person_id LIMIT ?4 OFFSET ?5`,
		f.VendorID, lo, hi, storecodec.PageLimit(f.Limit), max(f.Offset, 0))
	if err != nil {
		return nil, 0, fmt.Errorf("find duplicate persons: %w", err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var id string
		var n int
		var last int64
		if err := rows.Scan(&id, &n, &last); err != nil {
			return nil, 0, fmt.Errorf("find duplicate persons: %w", err)
		}
		out = append(out, id)
	}
	return out, total, rows.Err()
}

// ScanBoughtLeads returns a page of leads in range after an id.
func (s *Store) ScanBoughtLeads(ctx context.Context, f rapport.BoughtLeadFilter, after string, limit int) ([]rapport.Lead, error) {
	lo, hi := leadRange(f.Since, f.Until)
	// The unary + keeps the planner on the primary key: a page is the next
	// rows by id, never a sort of the whole range.
	out, err := s.queryLeads(ctx, `SELECT `+leadColumns+` FROM leads WHERE id > ? AND (? = '' OR +vendor_id = ?)
		AND +received_at >= ? AND +received_at < ? ORDER BY id LIMIT ?`, after, f.VendorID, f.VendorID, lo, hi, storecodec.PageLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("scan leads after %q: %w", after, err)
	}
	return out, nil
}

// FindContactsOf returns the attempts on the given leads.
func (s *Store) FindContactsOf(ctx context.Context, leadIDs []string) ([]rapport.LeadContact, error) {
	list, _ := json.Marshal(leadIDs) // strings always encode
	rows, err := s.read.QueryContext(ctx, `SELECT body FROM lead_contacts
		WHERE lead_id IN (SELECT value FROM json_each(?)) ORDER BY at, message_id`, string(list))
	if err != nil {
		return nil, fmt.Errorf("find contacts of %d leads: %w", len(leadIDs), err)
	}
	return scanContacts(rows)
}

// FindLeadHistogram counts leads per vendor and bucket of a measure.
func (s *Store) FindLeadHistogram(ctx context.Context, f rapport.BoughtLeadFilter, measure string, bounds []time.Duration, now time.Time) ([]rapport.LeadBucket, error) {
	expr, err := storecodec.HistogramCase(measure, bounds, now)
	if err != nil {
		return nil, err
	}
	lo, hi := leadRange(f.Since, f.Until)
	rows, err := s.read.QueryContext(ctx, `SELECT vendor_id, `+expr+` AS b, count(*) FROM leads
		WHERE (?1 = '' OR vendor_id = ?1) AND received_at >= ?2 AND received_at < ?3
		GROUP BY vendor_id, b ORDER BY vendor_id, b`, f.VendorID, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("lead histogram of %s: %w", measure, err)
	}
	defer rows.Close()
	out := []rapport.LeadBucket{}
	for rows.Next() {
		var b rapport.LeadBucket
		if err := rows.Scan(&b.VendorID, &b.Bucket, &b.Leads); err != nil {
			return nil, fmt.Errorf("lead histogram of %s: %w", measure, err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

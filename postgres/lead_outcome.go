package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
)

// convertLeadSQL credits a sale to its lead: the earliest conversion
// time, every order's revenue.
const convertLeadSQL = `UPDATE leads SET converted_at = least(coalesce(converted_at, $1), $1),
	converted_value = converted_value + $2 WHERE id = $3`

// ConvertLeads credits orders to leads and moves the sweep's cursor.
func (s *Store) ConvertLeads(ctx context.Context, cs []rapport.LeadConversion, through int64) (int, error) {
	if err := storecodec.CheckLeadConversions(cs); err != nil {
		return 0, err
	}
	n := 0
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		n = 0
		for _, c := range cs {
			ok, err := convertLead(ctx, tx, c)
			if err != nil {
				return fmt.Errorf("convert lead %s by %s: %w", c.LeadID, c.MessageID, err)
			}
			if ok {
				n++
			}
		}
		_, err := tx.Exec(ctx, `INSERT INTO lead_cursors (name, seq) VALUES ($1, $2)
			ON CONFLICT (name) DO UPDATE SET seq = greatest(lead_cursors.seq, excluded.seq)`, storecodec.ConversionCursor, through)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("convert leads: %w", err)
	}
	return n, nil
}

// convertLead records one conversion unless its order is recorded or its
// lead is gone (erased since the sweep read it), and reports whether it
// did.
func convertLead(ctx context.Context, tx pgx.Tx, c rapport.LeadConversion) (bool, error) {
	tag, err := tx.Exec(ctx, `INSERT INTO lead_conversions (message_id, lead_id, at, revenue) VALUES ($1, $2, $3, $4)
		ON CONFLICT DO NOTHING`, text(c.MessageID), text(c.LeadID), storecodec.Nanos(c.At), c.Revenue)
	if err != nil || tag.RowsAffected() == 0 {
		return false, err
	}
	tag, err = tx.Exec(ctx, convertLeadSQL, storecodec.Nanos(c.At), c.Revenue, text(c.LeadID))
	if err != nil {
		return false, err
	}
	if tag.RowsAffected() == 0 {
		_, err := tx.Exec(ctx, `DELETE FROM lead_conversions WHERE message_id = $1`, text(c.MessageID))
		return false, err
	}
	return true, nil
}

// LeadConversionCursor returns the seq the sweep last recorded.
func (s *Store) LeadConversionCursor(ctx context.Context) (int64, error) {
	var seq int64
	err := s.pool.QueryRow(ctx, `SELECT seq FROM lead_cursors WHERE name = $1`, storecodec.ConversionCursor).Scan(&seq)
	if errors.Is(err, pgx.ErrNoRows) {
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
	tag, err := s.pool.Exec(ctx, `UPDATE leads SET returned_at = $1, return_reason = $2, credit = $3
		WHERE id = $4 AND returned_at IS NULL`, storecodec.Nanos(r.At), text(r.Reason), r.Credit, text(r.LeadID))
	if err != nil {
		return fmt.Errorf("return lead %s: %w", r.LeadID, err)
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	if _, err := s.FindLeadByID(ctx, r.LeadID); err != nil {
		return err
	}
	return rapport.Errorf(rapport.ECONFLICT, "lead %s was returned already", r.LeadID)
}

// leadTotalsSQL adds up the leads of a range per vendor and UTC day.
const leadTotalsSQL = `SELECT vendor_id, received_at / $4 AS day, count(*), sum(price),
	count(*) FILTER (WHERE first_contact_at IS NOT NULL), count(*) FILTER (WHERE converted_at IS NOT NULL),
	sum(converted_value), count(*) FILTER (WHERE NOT contactable), count(*) FILTER (WHERE bot),
	count(*) FILTER (WHERE inquiry > 1), count(*) FILTER (WHERE contactable AND price > max_price),
	count(*) FILTER (WHERE over_cap), count(*) FILTER (WHERE returned_at IS NOT NULL), sum(credit),
	sum(engagement), sum(expected), sum(max_price)
	FROM leads WHERE ($1 = '' OR vendor_id = $1) AND received_at >= $2 AND received_at < $3
	GROUP BY vendor_id, day ORDER BY vendor_id, day`

// FindLeadTotals returns the totals per vendor and day.
func (s *Store) FindLeadTotals(ctx context.Context, f rapport.BoughtLeadFilter) ([]rapport.LeadTotals, error) {
	lo, hi := leadRange(f.Since, f.Until)
	rows, _ := s.pool.Query(ctx, leadTotalsSQL, text(f.VendorID), lo, hi, storecodec.DayNanos)
	out := []rapport.LeadTotals{}
	var t rapport.LeadTotals
	var day int64
	_, err := pgx.ForEachRow(rows, []any{&t.VendorID, &day, &t.Leads, &t.Spend, &t.Contacted, &t.Conversions, &t.Revenue,
		&t.ConsentFailures, &t.Bots, &t.Duplicates, &t.Overpaid, &t.OverCap, &t.Returns, &t.Credits,
		&t.Engagement, &t.Expected, &t.MaxPrice}, func() error {
		t.Day = storecodec.DayOf(day)
		out = append(out, t)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find lead totals: %w", err)
	}
	return out, nil
}

// FindLeadDelays returns ages at delivery, smallest first. With a
// vendor, the vendor's range is read from the covering index
// leads_vendor_delay alone.
func (s *Store) FindLeadDelays(ctx context.Context, f rapport.BoughtLeadFilter, offset, limit int) ([]time.Duration, error) {
	lo, hi := leadRange(f.Since, f.Until)
	where, args := `received_at >= $1 AND received_at < $2`, []any{lo, hi}
	if f.VendorID != "" {
		where, args = where+` AND vendor_id = $3`, append(args, text(f.VendorID))
	}
	n := len(args)
	rows, _ := s.pool.Query(ctx, `SELECT received_at - submitted_at AS d FROM leads WHERE `+where+
		fmt.Sprintf(` ORDER BY d LIMIT $%d OFFSET $%d`, n+1, n+2), append(args, storecodec.PageLimit(limit), max(offset, 0))...)
	out := []time.Duration{}
	var d int64
	_, err := pgx.ForEachRow(rows, []any{&d}, func() error {
		out = append(out, time.Duration(d))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find lead delays: %w", err)
	}
	return out, nil
}

// FindDuplicatePersons returns a page of persons with several leads.
func (s *Store) FindDuplicatePersons(ctx context.Context, f rapport.BoughtLeadFilter) ([]string, int, error) {
	lo, hi := leadRange(f.Since, f.Until)
	const groups = `SELECT person_id, count(*) AS n, max(submitted_at) AS last FROM leads
		WHERE ($1 = '' OR vendor_id = $1) AND received_at >= $2 AND received_at < $3 GROUP BY person_id HAVING count(*) > 1`
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM (`+groups+`) g`, text(f.VendorID), lo, hi).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count duplicate persons: %w", err)
	}
	rows, _ := s.pool.Query(ctx, `SELECT person_id FROM (`+groups+`) g ORDER BY n DESC, last DESC, person_id LIMIT $4 OFFSET $5`,
		text(f.VendorID), lo, hi, storecodec.PageLimit(f.Limit), max(f.Offset, 0))
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, 0, fmt.Errorf("find duplicate persons: %w", err)
	}
	return append([]string{}, out...), total, nil
}

// ScanBoughtLeads returns a page of leads in range after an id.
func (s *Store) ScanBoughtLeads(ctx context.Context, f rapport.BoughtLeadFilter, after string, limit int) ([]rapport.Lead, error) {
	lo, hi := leadRange(f.Since, f.Until)
	rows, _ := s.pool.Query(ctx, `SELECT `+leadColumns+` FROM leads WHERE id > $1 AND ($2 = '' OR vendor_id = $2)
		AND received_at >= $3 AND received_at < $4 ORDER BY id LIMIT $5`, text(after), text(f.VendorID), lo, hi, storecodec.PageLimit(limit))
	out, err := pgx.CollectRows(rows, scanLead)
	if err != nil {
		return nil, fmt.Errorf("scan leads after %q: %w", after, err)
	}
	return append([]rapport.Lead{}, out...), nil
}

// FindContactsOf returns the attempts on the given leads.
func (s *Store) FindContactsOf(ctx context.Context, leadIDs []string) ([]rapport.LeadContact, error) {
	rows, _ := s.pool.Query(ctx, `SELECT body FROM lead_contacts WHERE lead_id = ANY($1) ORDER BY at, message_id`, texts(leadIDs))
	out, err := pgx.CollectRows(rows, scanContact)
	if err != nil {
		return nil, fmt.Errorf("find contacts of %d leads: %w", len(leadIDs), err)
	}
	return append([]rapport.LeadContact{}, out...), nil
}

// FindLeadHistogram counts leads per vendor and bucket of a measure.
func (s *Store) FindLeadHistogram(ctx context.Context, f rapport.BoughtLeadFilter, measure string, bounds []time.Duration, now time.Time) ([]rapport.LeadBucket, error) {
	expr, err := storecodec.HistogramCase(measure, bounds, now)
	if err != nil {
		return nil, err
	}
	lo, hi := leadRange(f.Since, f.Until)
	rows, _ := s.pool.Query(ctx, `SELECT vendor_id, `+expr+` AS b, count(*) FROM leads
		WHERE ($1 = '' OR vendor_id = $1) AND received_at >= $2 AND received_at < $3
		GROUP BY vendor_id, b ORDER BY vendor_id, b`, text(f.VendorID), lo, hi)
	out := []rapport.LeadBucket{}
	var b rapport.LeadBucket
	_, err = pgx.ForEachRow(rows, []any{&b.VendorID, &b.Bucket, &b.Leads}, func() error {
		out = append(out, b)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("lead histogram of %s: %w", measure, err)
	}
	return out, nil
}

package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/leads"
	"github.com/rapportdev/rapport/storecodec"
)

// reportVendors is how many vendors the report benchmark's leads spread
// over.
const reportVendors = 5

// benchLeadReports measures the vendor scorecards and the trends over n
// leads received over the past year, stored in a fresh embedded store
// (written straight into the leads table with every column intake
// writes, much faster than n intakes), through the lead service as the
// API and the dashboard call it.
func benchLeadReports(ctx context.Context, sf *storeFlags, n int, stdout, stderr io.Writer) error {
	b, err := sf.open(ctx)
	if err != nil {
		return err
	}
	b.Close()
	start := time.Now()
	now := time.Now().UTC()
	if err := preloadLeads(ctx, sf.dbPath(), n, now); err != nil {
		return fmt.Errorf("bench leads: preload: %w", err)
	}
	fmt.Fprintf(stderr, "bench leads: %d leads stored in %s\n", n, time.Since(start).Round(time.Second))
	if b, err = sf.open(ctx); err != nil {
		return err
	}
	defer b.Close()
	svc := leads.New(leads.Config{Store: b.Store, Ingest: discardAppender{}})
	best, days, err := bestOf(3, func() (int, error) {
		ts, err := b.Store.FindLeadTotals(ctx, rapport.BoughtLeadFilter{})
		return len(ts), err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "of which the totals query: %d vendor-days in %s (best of 3)\n", days, best.Round(time.Millisecond))
	for _, period := range []string{"", "month", "day"} {
		best, cards, err := bestOf(3, func() (int, error) {
			cs, err := svc.Scorecards(ctx, leads.Range{}, period)
			return len(cs), err
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "scorecards over %d leads, period %q: %d scorecards in %s (best of 3)\n", n, period, cards, best.Round(time.Millisecond))
	}
	best, groups, err := bestOf(1, func() (int, error) {
		ts, err := svc.Trends(ctx, leads.Range{}, "region")
		return len(ts), err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "trends by region over %d leads: %d groups in %s\n", n, groups, best.Round(time.Millisecond))
	return nil
}

// bestOf runs f runs times and returns the fastest run and its result.
func bestOf(runs int, f func() (int, error)) (time.Duration, int, error) {
	var best time.Duration
	var out int
	for range runs {
		t := time.Now()
		n, err := f()
		if err != nil {
			return 0, 0, err
		}
		if d := time.Since(t); best == 0 || d < best {
			best, out = d, n
		}
	}
	return best, out, nil
}

// discardAppender takes events and drops them: the report benchmark
// appends nothing.
type discardAppender struct{}

func (discardAppender) Append(context.Context, []rapport.Event) error { return nil }

// preloadLeads inserts n leads, in chunks of one transaction each.
func preloadLeads(ctx context.Context, path string, n int, now time.Time) error {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(OFF)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for v := range reportVendors {
		vendor := &rapport.Vendor{ID: fmt.Sprintf("vendor-%d", v), Name: fmt.Sprintf("Vendor %d", v), Price: float64(10 + 10*v), Active: true}
		body, err := storecodec.EncodeVendor(vendor)
		if err != nil {
			return err
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO vendors (id, body, created_at) VALUES (?, ?, 0)`, vendor.ID, string(body)); err != nil {
			return err
		}
	}
	const chunk = 50_000
	for lo := 0; lo < n; lo += chunk {
		if err := insertLeads(ctx, db, lo, min(lo+chunk, n), n, now); err != nil {
			return err
		}
	}
	_, err = db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}

func insertLeads(ctx context.Context, db *sql.DB, lo, hi, n int, now time.Time) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `INSERT INTO leads (id, vendor_id, external_id, person_id, submitted_at, received_at, tier, body,
		price, contactable, bot, inquiry, engagement, expected, max_price, over_cap, first_contact_at, converted_at, converted_value)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	for i := lo; i < hi; i++ {
		l := reportLead(i, n, now)
		body, err := storecodec.EncodeLead(l)
		if err != nil {
			return err
		}
		f := storecodec.FactsOf(&l)
		var contact, converted any
		if i%3 == 0 {
			contact = storecodec.Nanos(l.ReceivedAt.Add(10 * time.Minute))
		}
		if i%40 == 0 {
			converted = storecodec.Nanos(l.ReceivedAt.Add(48 * time.Hour))
		}
		if _, err := st.ExecContext(ctx, l.ID, l.VendorID, l.ExternalID, l.PersonID, storecodec.Nanos(l.SubmittedAt),
			storecodec.Nanos(l.ReceivedAt), l.Tier, body, f.Price, f.Contactable, f.Bot, f.Inquiry, f.Engagement, f.Expected,
			f.MaxPrice, f.OverCap, contact, converted, float64(i%40/39)*900); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// reportLead is lead i of n, received over the year before now.
func reportLead(i, n int, now time.Time) rapport.Lead {
	received := now.Add(-time.Duration(n-i) * (365 * 24 * time.Hour / time.Duration(n)))
	regions := []string{"WA", "CA", "TX", "FL", "NY", "IL", "GA", "CO"}
	v := i % reportVendors
	return rapport.Lead{ID: fmt.Sprintf("ld_%016x", received.UnixNano()+int64(i)), VendorID: fmt.Sprintf("vendor-%d", v),
		ExternalID: fmt.Sprintf("x%d", i), PersonID: fmt.Sprintf("p%d", i%(n*4/5+1)), Inquiry: 1 + i/(n*4/5+1),
		Price: float64(10 + 10*v), SubmittedAt: received.Add(-time.Duration(30+i%3600) * time.Second), ReceivedAt: received,
		Tier: "warm", Contactable: i%50 != 0, Engagement: float64(i % 100), EngagementLevel: "medium",
		Person:  rapport.LeadPerson{Email: fmt.Sprintf("p%d@example.com", i), BirthYear: 1950 + i%50, Address: rapport.LeadAddress{Region: regions[i%len(regions)]}},
		Journey: rapport.LeadJourney{Visits: 1 + i%9, FirstVisitAt: received.Add(-time.Duration(i%30) * 24 * time.Hour)},
		Value:   rapport.LeadValue{Probability: 0.05, Expected: 40, MaxPrice: 30}}
}

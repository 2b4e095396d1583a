package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/demo"
	"github.com/rapportdev/rapport/leads"
)

// loadDemoLeads sells the demo's leads (demo.Leads) through the lead
// service as vendors would, each at its own arrival time, records the
// sales team's contact attempts and the returns, and appends the orders
// of the people who bought through the committer like tracked events;
// the conversion sweep credits them once the processor has applied them.
// Ids are fixed, so a second start stores nothing twice.
func loadDemoLeads(ctx context.Context, cfg *serveConfig, store rapport.Store, ingest leads.Appender, logger *slog.Logger) error {
	clock := &demoClock{}
	svc := leads.New(leadConfig(cfg, store, ingest, clock, logger))
	if err := svc.Declare(ctx, demo.LeadVendors()); err != nil {
		return fmt.Errorf("demo vendors: %w", err)
	}
	ls, orders := demo.Leads(time.Now())
	ids, err := sellDemoLeads(ctx, svc, store, clock, ls)
	if err != nil {
		return err
	}
	if err := workDemoLeads(ctx, svc, store, clock, ls, ids); err != nil {
		return err
	}
	for _, o := range orders {
		if err := ingest.Append(ctx, o.Events); err != nil {
			return fmt.Errorf("demo orders: %w", err)
		}
	}
	logger.Info("demo leads loaded", "leads", len(ls), "orders", len(orders))
	return nil
}

// sellDemoLeads takes each lead from its vendor at its arrival time and
// returns the stored leads' ids, in order.
func sellDemoLeads(ctx context.Context, svc *leads.Service, store rapport.Store, clock *demoClock, ls []demo.DemoLead) ([]string, error) {
	vendors := map[string]*rapport.Vendor{}
	ids := make([]string, len(ls))
	for i, d := range ls {
		v := vendors[d.VendorID]
		if v == nil {
			var err error
			if v, err = store.FindVendorByID(ctx, d.VendorID); err != nil {
				return nil, fmt.Errorf("demo vendor %s: %w", d.VendorID, err)
			}
			vendors[d.VendorID] = v
		}
		clock.set(d.ArriveAt)
		res, err := svc.Intake(ctx, v, []rapport.Lead{d.Lead})
		if err != nil {
			return nil, fmt.Errorf("demo lead %s: %w", d.Lead.ExternalID, err)
		}
		if res[0].Error != "" {
			return nil, fmt.Errorf("demo lead %s refused: %s", d.Lead.ExternalID, res[0].Error)
		}
		ids[i] = res[0].LeadID
	}
	return ids, nil
}

// workDemoLeads records the contact attempts and returns the leads.
func workDemoLeads(ctx context.Context, svc *leads.Service, store rapport.Store, clock *demoClock, ls []demo.DemoLead, ids []string) error {
	var cs []rapport.LeadContact
	for i, d := range ls {
		for _, c := range d.Contacts {
			c.LeadID = ids[i]
			cs = append(cs, c)
		}
	}
	if _, err := svc.Contacts(ctx, cs); err != nil {
		return fmt.Errorf("demo contact attempts: %w", err)
	}
	for i, d := range ls {
		if d.Return == "" {
			continue
		}
		l, err := store.FindLeadByID(ctx, ids[i])
		if err != nil {
			return fmt.Errorf("demo return of %s: %w", ids[i], err)
		}
		if !l.ReturnedAt.IsZero() {
			continue // returned at a previous start
		}
		clock.set(d.ArriveAt.Add(time.Hour))
		if _, err := svc.Return(ctx, ids[i], d.Return); err != nil {
			return fmt.Errorf("demo return of %s: %w", ids[i], err)
		}
	}
	return nil
}

package leads_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/leads"
	"github.com/rapportdev/rapport/sqlite"
)

// TestResendUsesNoCapPlace checks that a resend of a lead bought before
// (by external id, or by payload hash when it has none) and a repeat
// within one request take no place under the cap: the new lead behind
// them is bought and paid for, whatever the contract does over the cap.
func TestResendUsesNoCapPlace(t *testing.T) {
	// Decoded afresh each time, as every request is: Prepare fills the
	// consent's evidence hash in place.
	hashed := func() rapport.Lead {
		l := person(9)
		l.ExternalID = ""
		return l
	}
	for _, c := range []struct {
		name    string
		overCap string
		first   []rapport.Lead
		then    []rapport.Lead
	}{
		{"resend by external id, refuse", rapport.OverCapRefuse, []rapport.Lead{person(1)}, []rapport.Lead{person(1), person(2)}},
		{"resend by external id, unpaid", rapport.OverCapUnpaid, []rapport.Lead{person(1)}, []rapport.Lead{person(1), person(2)}},
		{"resend by payload hash", rapport.OverCapRefuse, []rapport.Lead{hashed()}, []rapport.Lead{hashed(), person(2)}},
		{"repeat within the request", rapport.OverCapRefuse, nil, []rapport.Lead{person(1), person(1), person(1), person(2)}},
	} {
		t.Run(c.name, func(t *testing.T) {
			svc, st, _, _ := setup(t)
			ctx := context.Background()
			v := withTerms(t, st, rapport.VendorTerms{DailyCap: 2, OverCap: c.overCap})
			if res, err := svc.Intake(ctx, v, c.first); err != nil || len(res) > 0 && res[0].Error != "" {
				t.Fatalf("first intake: %+v, %v", res, err)
			}
			res, err := svc.Intake(ctx, v, c.then)
			if err != nil {
				t.Fatal(err)
			}
			last := res[len(res)-1]
			if last.Error != "" || last.Retry || last.LeadID == "" {
				t.Fatalf("the new lead after the resends: %+v; want it bought", last)
			}
			l, err := st.FindLeadByID(ctx, last.LeadID)
			if err != nil || l.OverCap || l.Price != 30 {
				t.Fatalf("the new lead: over cap %v, price %v (%v); want paid 30", l.OverCap, l.Price, err)
			}
			if _, n, _ := st.FindBoughtLeads(ctx, rapport.BoughtLeadFilter{}); n != 2 {
				t.Fatalf("%d leads stored, want 2", n)
			}
		})
	}
}

// TestCapHoldsAcrossProcesses runs two services, as two ingest processes
// do, on two handles of one database: the cap holds across them.
func TestCapHoldsAcrossProcesses(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rapport.db")
	var svcs []*leads.Service
	var st rapport.Store
	for range 2 {
		s, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		st = s
		svcs = append(svcs, leads.New(leads.Config{Store: s, Ingest: &appender{}, Clock: &clock{t: t0.Add(2 * time.Minute)}}))
	}
	v := rapport.Vendor{ID: "v1", Name: "Vendor One", Price: 30, Active: true, Terms: rapport.VendorTerms{DailyCap: 5}}
	if err := svcs[0].Declare(ctx, []rapport.Vendor{v}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	accepted := 0
	for i := range 24 {
		wg.Go(func() {
			res, err := svcs[i%2].Intake(ctx, &v, []rapport.Lead{person(i)})
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if res[0].Error == "" {
				accepted++
			}
		})
	}
	wg.Wait()
	if _, n, _ := st.FindBoughtLeads(ctx, rapport.BoughtLeadFilter{}); accepted != 5 || n != 5 {
		t.Fatalf("%d of 24 leads accepted, %d stored, through two processes under a daily cap of 5; want 5", accepted, n)
	}
}

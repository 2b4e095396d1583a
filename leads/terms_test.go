package leads_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
)

// withTerms stores new terms for vendor v1 and returns it.
func withTerms(t *testing.T, st rapport.Store, terms rapport.VendorTerms) *rapport.Vendor {
	t.Helper()
	v := vendor(t, st)
	v.Terms = terms
	if err := st.UpdateVendor(context.Background(), v); err != nil {
		t.Fatal(err)
	}
	return v
}

// person returns a lead of someone else each n (no duplicates).
func person(n int) rapport.Lead {
	l := newLead(fmt.Sprintf("c%d", n), fmt.Sprintf("p%d@example.com", n), "")
	l.Person.FirstName, l.Person.Address = fmt.Sprintf("P%d", n), rapport.LeadAddress{}
	return l
}

func TestDailyCapRefusesWithTheTermNamed(t *testing.T) {
	svc, st, _, _ := setup(t)
	ctx := context.Background()
	v := withTerms(t, st, rapport.VendorTerms{DailyCap: 2})
	res, err := svc.Intake(ctx, v, []rapport.Lead{person(1), person(2), person(3)})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Error != "" || res[1].Error != "" || !strings.Contains(res[2].Error, "terms.dailyCap") || res[2].LeadID != "" {
		t.Fatalf("intake of 3 under a daily cap of 2: %+v", res)
	}
	// A retry of a lead bought before is not a new purchase.
	again, err := svc.Intake(ctx, v, []rapport.Lead{person(1), person(4)})
	if err != nil || !again[0].Retry || again[0].Error != "" || again[1].Error == "" {
		t.Fatalf("retry and a new lead over the cap: %+v, %v; want the retry answered, the new lead refused", again, err)
	}
	if _, n, _ := st.FindBoughtLeads(ctx, rapport.BoughtLeadFilter{}); n != 2 {
		t.Fatalf("%d leads stored, want 2", n)
	}
}

func TestOverCapUnpaidKeepsTheLeadAtNoCost(t *testing.T) {
	svc, st, _, _ := setup(t)
	ctx := context.Background()
	v := withTerms(t, st, rapport.VendorTerms{MonthlyCap: 1, OverCap: rapport.OverCapUnpaid})
	res, err := svc.Intake(ctx, v, []rapport.Lead{person(1), person(2)})
	if err != nil || res[0].Error != "" || res[1].Error != "" {
		t.Fatalf("intake: %+v, %v", res, err)
	}
	paid, _ := st.FindLeadByID(ctx, res[0].LeadID)
	free, _ := st.FindLeadByID(ctx, res[1].LeadID)
	if paid.OverCap || paid.Price != 30 || !free.OverCap || free.Price != 0 {
		t.Fatalf("first %v %v, second %v %v; want the second kept over the cap at price 0", paid.OverCap, paid.Price, free.OverCap, free.Price)
	}
	cards, err := svc.Scorecards(ctx, leadsRange(), "")
	if err != nil || len(cards) != 1 || cards[0].OverCap != 1 || cards[0].Spend != 30 || cards[0].Leads != 2 {
		t.Fatalf("scorecards %+v, %v; want 2 leads, 1 over the cap, 30 spent", cards, err)
	}
}

func TestCapHoldsUnderConcurrentIntakes(t *testing.T) {
	svc, st, _, _ := setup(t)
	v := withTerms(t, st, rapport.VendorTerms{DailyCap: 5})
	var wg sync.WaitGroup
	var mu sync.Mutex
	accepted := 0
	for i := range 12 {
		wg.Go(func() {
			res, err := svc.Intake(context.Background(), v, []rapport.Lead{person(i)})
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
	if accepted != 5 {
		t.Fatalf("%d of 12 concurrent leads accepted under a daily cap of 5", accepted)
	}
}

func TestReturnWithinWindowForAListedReason(t *testing.T) {
	svc, st, _, clk := setup(t)
	ctx := context.Background()
	v := withTerms(t, st, rapport.VendorTerms{ReturnWindowHours: 24, ReturnReasons: []string{"bad phone", "duplicate"}})
	res, err := svc.Intake(ctx, v, []rapport.Lead{person(1), person(2)})
	if err != nil {
		t.Fatal(err)
	}
	id := res[0].LeadID
	for _, c := range []struct {
		reason, code string
	}{{"", rapport.EINVALID}, {"did not buy", rapport.EINVALID}} {
		_, err := svc.Return(ctx, id, c.reason)
		if rapport.ErrorCode(err) != c.code {
			t.Errorf("return for %q: %v, want %s", c.reason, err, c.code)
		}
	}
	l, err := svc.Return(ctx, id, " Bad Phone ")
	if err != nil || l.ReturnReason != "bad phone" || l.Credit != 30 || !l.ReturnedAt.Equal(clk.t) {
		t.Fatalf("return: %+v, %v", l, err)
	}
	if _, err := svc.Return(ctx, id, "duplicate"); rapport.ErrorCode(err) != rapport.ECONFLICT {
		t.Fatalf("second return: %v, want a conflict", err)
	}
	clk.t = clk.t.Add(25 * time.Hour)
	if _, err := svc.Return(ctx, res[1].LeadID, "duplicate"); rapport.ErrorCode(err) != rapport.ECONFLICT ||
		!strings.Contains(err.Error(), "terms.returnWindowHours") {
		t.Fatalf("return after the window: %v, want a conflict naming the term", err)
	}
	cards, err := svc.Scorecards(ctx, leadsRange(), "")
	if err != nil || cards[0].Returns != 1 || cards[0].Credits != 30 || cards[0].NetSpend != 30 || cards[0].ReturnRate != 0.5 {
		t.Fatalf("scorecard after a return %+v, %v", cards, err)
	}
}

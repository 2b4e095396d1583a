package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/rapportdev/rapport"
)

// RunShared runs the cases that need two stores on one database, as two
// processes have: open returns two handles, opened separately, to one
// new, empty database. The suite closes both when the subtest ends.
func RunShared(t *testing.T, open func(t *testing.T) (rapport.Store, rapport.Store)) {
	tests := []struct {
		name string
		fn   func(t *testing.T, a, b rapport.Store)
	}{
		{"LeadCapAcrossStores", testLeadCapAcrossStores},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := open(t)
			t.Cleanup(func() { a.Close(); b.Close() })
			tt.fn(t, a, b)
		})
	}
}

// leadCap returns a cap of vendor v since base.
func leadCap(v, term string, limit int) rapport.LeadCap {
	return rapport.LeadCap{VendorID: v, Term: term, Limit: limit, Since: base}
}

// capped returns lead id of vendor v, someone of their own, received
// after base.
func capped(id, v string) rapport.Lead {
	return boughtLead(id, v, 0, id+"@example.com", "")
}

// keysOf returns each lead's email key.
func keysOf(leads []rapport.Lead) [][]string {
	keys := make([][]string, len(leads))
	for i := range leads {
		keys[i] = []string{"e:" + leads[i].Person.Email}
	}
	return keys
}

// createCapped stores leads under caps and fails the test on error.
func createCapped(t *testing.T, s rapport.Store, leads []rapport.Lead, caps []rapport.LeadCap, complete func(*rapport.Lead)) []rapport.CreatedLead {
	t.Helper()
	got, err := s.CreateLeads(context.Background(), leads, keysOf(leads), caps, complete)
	if err != nil {
		t.Fatalf("CreateLeads: %v", err)
	}
	return got
}

// outcome reads a created lead as the stored id, "retry:" and the id, or
// "refused:" and the term.
func outcome(c rapport.CreatedLead) string {
	switch {
	case c.Refused != nil:
		return "refused:" + c.Refused.Term
	case c.Retry:
		return "retry:" + c.Lead.ID
	}
	return c.Lead.ID
}

// countLeads returns how many leads of vendor v are stored.
func countLeads(t *testing.T, s rapport.Store, v string) int {
	t.Helper()
	_, n, err := s.FindBoughtLeads(context.Background(), rapport.BoughtLeadFilter{VendorID: v})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// testLeadCaps checks caps within one store: counted from Since, retries
// and repeats within a call taking no place, a lead over a cap refused
// (and its repeats) or kept unpaid, the first full cap named, and caps
// of one vendor never applied to another's leads.
func testLeadCaps(t *testing.T, s rapport.Store) {
	old := boughtLead("old", "cv", -1000, "old@example.com", "") // received before the cap's Since
	createLeads(t, s, []rapport.Lead{old, capped("a", "cv")}, [][]string{{"e:old@example.com"}, {"e:a@example.com"}})
	resend, repeat, again := capped("a2", "cv"), capped("b2", "cv"), capped("c2", "cv")
	resend.ExternalID, repeat.ExternalID, again.ExternalID = "x-a", "x-b", "x-c"
	var completed []string
	got := createCapped(t, s, []rapport.Lead{resend, capped("b", "cv"), repeat, capped("free", "other"), capped("c", "cv"), again},
		[]rapport.LeadCap{leadCap("cv", "terms.dailyCap", 2)}, func(l *rapport.Lead) { completed = append(completed, l.ID) })
	var outcomes []string
	for _, c := range got {
		outcomes = append(outcomes, outcome(c))
	}
	equal(t, "leads under a daily cap of 2 with a bought", outcomes,
		[]string{"retry:a", "b", "retry:b", "free", "refused:terms.dailyCap", "refused:terms.dailyCap"})
	equal(t, "completed", completed, []string{"b", "free"})
	if n := countLeads(t, s, "cv"); n != 3 {
		t.Fatalf("%d leads of cv stored, want old, a and b", n)
	}
	if got[1].Lead.OverCap || got[1].Lead.Price != 20 {
		t.Fatalf("b: over cap %v, price %v; want bought at 20", got[1].Lead.OverCap, got[1].Lead.Price)
	}

	unpaid := leadCap("up", "terms.monthlyCap", 1)
	unpaid.Unpaid = true
	got = createCapped(t, s, []rapport.Lead{capped("u1", "up"), capped("u2", "up")}, []rapport.LeadCap{unpaid}, nil)
	for i, want := range []struct {
		over  bool
		price float64
	}{{false, 20}, {true, 0}} {
		stored, err := s.FindLeadByID(context.Background(), got[i].Lead.ID)
		if err != nil || got[i].Refused != nil || stored.OverCap != want.over || stored.Price != want.price {
			t.Fatalf("lead %d under an unpaid cap: %+v, stored %+v, %v; want over cap %v at %v", i, got[i], stored, err, want.over, want.price)
		}
	}

	createLeads(t, s, []rapport.Lead{boughtLead("t0", "two", -1000, "t0@example.com", "")}, [][]string{{"e:t0@example.com"}})
	monthly := leadCap("two", "terms.monthlyCap", 1)
	monthly.Since = at(-2000)
	got = createCapped(t, s, []rapport.Lead{capped("t1", "two")}, []rapport.LeadCap{leadCap("two", "terms.dailyCap", 3), monthly}, nil)
	equal(t, "a lead under a free daily cap and a full monthly one", outcome(got[0]), "refused:terms.monthlyCap")

	_, err := s.CreateLeads(context.Background(), []rapport.Lead{capped("d1", "cv")}, [][]string{{"e:d1@example.com"}},
		[]rapport.LeadCap{leadCap("cv", "terms.dailyCap", 2), leadCap("cv", "terms.dailyCap", 3)}, nil)
	wantCode(t, "CreateLeads with a term capped twice", err, rapport.EINVALID)
}

// testLeadCapAcrossStores creates leads of one capped vendor from two
// goroutines over two stores on one database, as two ingest processes
// do: together they take no more places than the cap has.
func testLeadCapAcrossStores(t *testing.T, a, b rapport.Store) {
	const limit, each = 5, 12
	caps := []rapport.LeadCap{leadCap("cv", "terms.dailyCap", limit)}
	var wg sync.WaitGroup
	var mu sync.Mutex
	accepted := 0
	for g, s := range []rapport.Store{a, b} {
		wg.Go(func() {
			for i := range each {
				l := capped(fmt.Sprintf("g%d-%d", g, i), "cv")
				got, err := s.CreateLeads(context.Background(), []rapport.Lead{l}, keysOf([]rapport.Lead{l}), caps, nil)
				if err != nil {
					t.Errorf("CreateLeads through store %d: %v", g, err)
					return
				}
				mu.Lock()
				if got[0].Refused == nil {
					accepted++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if n := countLeads(t, a, "cv"); accepted != limit || n != limit {
		t.Fatalf("%d of %d leads accepted, %d stored, through two stores under a cap of %d; want %d", accepted, 2*each, n, limit, limit)
	}
}

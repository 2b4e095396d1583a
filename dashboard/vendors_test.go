package dashboard_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/dashboard"
	"github.com/rapportdev/rapport/leads"
)

// dropEvents is a lead service's log that keeps nothing: the page reads
// the store.
type dropEvents struct{}

func (dropEvents) Append(context.Context, []rapport.Event) error { return nil }

// withLeads serves the fixture's store with lead management and a book of
// leads: Acme (exclusive, 40) sells Ana and, with a consent failure, Cy;
// Bulk (shared, 10) sells Ana again a day later and Bo, whose lead is
// returned as a duplicate. Ana's first lead was called 3 minutes after
// arriving and converted for 900.
func withLeads(t *testing.T, f *fixture) *fixture {
	t.Helper()
	ctx := context.Background()
	clock := &testClock{t: testBase}
	svc := leads.New(leads.Config{Store: f.store, Ingest: dropEvents{}, Clock: clock})
	err := svc.Declare(ctx, []rapport.Vendor{
		{ID: "acme", Name: "Acme Leads", Exclusive: true, Price: 40, Active: true},
		{ID: "bulk", Name: "Bulk <b>Leads</b>", SharedWith: 3, Price: 10, Active: true,
			Terms: rapport.VendorTerms{ReturnWindowHours: 48, ReturnReasons: []string{"duplicate"}}}})
	if err != nil {
		t.Fatal(err)
	}
	consent := func(at time.Time) *rapport.LeadConsent {
		return &rapport.LeadConsent{Text: "I agree to calls.", At: at, IP: "203.0.113.1", Method: "checkbox", Channels: []string{"phone"}}
	}
	sell := func(vendor, ext, email string, at time.Time, withConsent bool) string {
		clock.t = at.Add(time.Minute)
		v, _ := f.store.FindVendorByID(ctx, vendor)
		l := rapport.Lead{ExternalID: ext, SubmittedAt: at, Person: rapport.LeadPerson{FirstName: ext, Email: email}}
		if withConsent {
			l.Consent = consent(at)
		}
		res, err := svc.Intake(ctx, v, []rapport.Lead{l})
		if err != nil || res[0].Error != "" {
			t.Fatalf("intake %s: %+v, %v", ext, res, err)
		}
		return res[0].LeadID
	}
	ana := sell("acme", "ana-1", "ana@example.com", testBase, true)
	sell("acme", "cy-1", "cy@example.com", testBase.Add(time.Hour), false)
	sell("bulk", "ana-2", "ana@example.com", testBase.Add(24*time.Hour), true)
	bo := sell("bulk", "bo-1", "bo@example.com", testBase.Add(25*time.Hour), true)
	if _, err := svc.Contacts(ctx, []rapport.LeadContact{{LeadID: ana, At: testBase.Add(4 * time.Minute), Outcome: "converted", Value: 900}}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Return(ctx, bo, "duplicate"); err != nil {
		t.Fatal(err)
	}
	h, err := dashboard.New(dashboard.Config{Store: f.store, Leads: svc, Clock: f.clock,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), SessionKey: testSessionKey})
	if err != nil {
		t.Fatal(err)
	}
	g := *f
	g.srv = httptest.NewServer(h)
	t.Cleanup(g.srv.Close)
	return &g
}

func TestVendorsPage(t *testing.T) {
	f := withLeads(t, newFixture(t))
	c := f.signedIn(t)
	r := c.get(t, "/vendors")
	expect(t, "vendors", r, 200, []string{
		`<a href="/vendors" aria-current="page">Vendors</a>`,
		// Acme: 2 leads, 80 spent, 1 conversion of 900; Bulk: 2 leads, 20 spent, 10 credited.
		`<tr data-vendor="acme">`, `<td class="num leads">2</td>`, `<td class="num revenue">900.00</td>`,
		`<td class="num conversions">1</td>`, `<td class="num returns">1</td>`, "Bulk &lt;b&gt;Leads&lt;/b&gt;",
		`id="volume-chart"`, `id="money-chart"`, `id="speed-chart"`, `id="age-delivery-chart"`, `id="age-now-chart"`,
		// The charts are series charts, as the offers page's funnel is.
		`id="money-chart">{"kind":"series","type":"bar","labels":["Acme Leads",`,
		`"series":[{"label":"Net spend","values":[80,10]},{"label":"Revenue","values":[900,0]}],"unit":"money"}`,
		`id="speed-chart">{"kind":"series","type":"bar","labels":["never attempted",`, `{"label":"acme","values":[1,1,0,0,0,0,0]}`,
		`"stacked":true}`,
		"Duplicates <span class=\"muted\">(1 people sold more than once)", "acme, 2025-03-01 10:00 UTC",
		"Consent failures <span class=\"muted\">(1)", "no consent record",
		"Returns <span class=\"muted\">(1)", "<td>duplicate</td>", `<td class="num">10.00</td>`,
		// Speed: Cy never attempted, Ana within 5 minutes; delivery: both a minute old.
		`<th scope="row">acme</th><td class="num">1</td><td class="num">1</td><td class="num">0</td>`,
		`<th scope="row">acme</th><td class="num">0</td><td class="num">2</td><td class="num">0</td>`,
	}, []string{"Bulk <b>Leads</b>"})
	// The window: everything received since 90 days before the clock
	// (the fixture's clock is two days on), or a choice that is not one.
	expect(t, "vendors in the last 30 days", c.get(t, "/vendors?days=30"), 200, []string{`<option value="30" selected>`}, nil)
	expect(t, "a window not offered", c.get(t, "/vendors?days=7"), 400, []string{"days: must be 30, 90, 365 or 0"}, nil)
	expect(t, "a page number that is not one", c.get(t, "/vendors?dpage=x"), 400, []string{"dpage"}, nil)
}

func TestVendorsPageWithoutLeadManagement(t *testing.T) {
	f := newFixture(t)
	expect(t, "vendors", f.signedIn(t).get(t, "/vendors"), 404, []string{"Lead management is not available"}, nil)
}

package leads_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/lead"
	"github.com/rapportdev/rapport/leads"
	"github.com/rapportdev/rapport/sqlite"
)

// appender collects what the service appends.
type appender struct {
	mu     sync.Mutex
	events []rapport.Event
}

func (a *appender) Append(_ context.Context, evs []rapport.Event) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.events = append(a.events, evs...)
	return nil
}

func (a *appender) names() map[string]int {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := map[string]int{}
	for _, e := range a.events {
		n[e.Event+string(e.Type)]++
	}
	return n
}

// clock is a settable clock.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

var t0 = time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)

func setup(t *testing.T) (*leads.Service, rapport.Store, *appender, *clock) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "rapport.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	app, clk := &appender{}, &clock{t: t0.Add(2 * time.Minute)}
	svc := leads.New(leads.Config{Store: st, Ingest: app, Clock: clk, Routing: lead.Routing{"hot": "closers", "default": "sales"}})
	if err := svc.Declare(context.Background(), []rapport.Vendor{{ID: "v1", Name: "Vendor One", Exclusive: true, Price: 30, Active: true}}); err != nil {
		t.Fatal(err)
	}
	return svc, st, app, clk
}

func consent() *rapport.LeadConsent {
	return &rapport.LeadConsent{Text: "I agree to be called and texted by Acme.", At: t0, IP: "203.0.113.5", Method: "checkbox",
		Channels: []string{"phone", "sms"}}
}

func newLead(ext, email, phone string) rapport.Lead {
	return rapport.Lead{ExternalID: ext, SubmittedAt: t0, Consent: consent(),
		Person: rapport.LeadPerson{FirstName: "Ana", LastName: "Diaz", Email: email, Phone: phone,
			Address: rapport.LeadAddress{Street: "1 Main Street", PostalCode: "98101"}},
		Form: rapport.FormSignals{Seconds: 90, Input: "typed", CompletedBy: "consumer"}}
}

func vendor(t *testing.T, st rapport.Store) *rapport.Vendor {
	t.Helper()
	v, err := st.FindVendorByID(context.Background(), "v1")
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestIntake(t *testing.T) {
	svc, st, app, _ := setup(t)
	ctx := context.Background()
	noConsent := newLead("x3", "cy@example.com", "")
	noConsent.Consent = nil
	noConsent.Person.FirstName = "Cy"
	in := []rapport.Lead{
		newLead("x1", "ana@example.com", ""),
		{ExternalID: "x2", SubmittedAt: t0},
		newLead("x4", "ana.d@work.example", "+12065550100"), // same name and address: the same person
		noConsent,
	}
	res, err := svc.Intake(ctx, vendor(t, st), in)
	if err != nil {
		t.Fatal(err)
	}
	if res[1].Error != "person: give an email or a phone" || res[1].LeadID != "" {
		t.Fatalf("invalid lead: %+v", res[1])
	}
	a, dup, held := res[0], res[2], res[3]
	if a.Inquiry != 1 || dup.Inquiry != 2 || dup.PersonID != a.PersonID || a.Tier == "" || a.Value.Model != "prior" {
		t.Fatalf("first %+v, duplicate %+v", a, dup)
	}
	if held.Contactable || held.Tier != lead.TierHold || held.Value.MaxPrice != 0 || held.LeadID == "" {
		t.Fatalf("lead without consent %+v: want kept, held, worth nothing", held)
	}
	n := app.names()
	if n["identify"] != 3 || n["Lead Submittedtrack"] != 3 || n["Consent Grantedtrack"] != 4 {
		t.Fatalf("events appended %v", n)
	}
	again, err := svc.Intake(ctx, vendor(t, st), in[:1])
	if err != nil || !again[0].Retry || again[0].LeadID != a.LeadID {
		t.Fatalf("retry: %+v, %v; want the stored lead", again, err)
	}
	stored, err := st.FindLeadByID(ctx, dup.LeadID)
	if err != nil || stored.EarlierVendors != 1 {
		t.Fatalf("stored duplicate %+v, %v", stored, err)
	}
}

func TestContactsQueueAndWatch(t *testing.T) {
	svc, st, app, clk := setup(t)
	ctx := context.Background()
	if err := st.CreateWebhook(ctx, &rapport.Webhook{ID: "w", URL: "https://crm.example/hook", Secret: "0123456789abcdef0",
		Events: []string{leads.NotificationSLABreached}, Active: true, CreatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	hot := newLead("h1", "hot@example.com", "")
	hot.Price = 1
	res, err := svc.Intake(ctx, vendor(t, st), []rapport.Lead{hot, newLead("h2", "warm@example.com", "")})
	if err != nil {
		t.Fatal(err)
	}
	// The prior rates these leads hot (fresh, exclusive, engaged): ten
	// minutes on, both have waited past the five-minute SLA.
	if res[0].Tier != lead.TierHot {
		t.Fatalf("tier %s, want hot", res[0].Tier)
	}
	if _, err := svc.Contacts(ctx, []rapport.LeadContact{{LeadID: res[1].LeadID, At: t0.Add(3 * time.Minute), Outcome: "no_answer"}}); err != nil {
		t.Fatal(err)
	}
	clk.t = t0.Add(10 * time.Minute)
	if n, err := svc.Watch(ctx); err != nil || n != 1 {
		t.Fatalf("Watch = %d, %v; want the one lead never attempted", n, err)
	}
	if n, _ := svc.Watch(ctx); n != 0 {
		t.Fatalf("a second watch alerted %d again", n)
	}
	ds, _ := st.FindDeliveries(ctx, rapport.DeliveryFilter{})
	if len(ds) != 1 || ds[0].Notification.Payload["leadId"] != res[0].LeadID {
		t.Fatalf("deliveries %+v", ds)
	}
	cr, err := svc.Contacts(ctx, []rapport.LeadContact{
		{LeadID: res[0].LeadID, At: t0.Add(11 * time.Minute), Outcome: "converted", Value: 900},
		{LeadID: "ld_nope", At: t0, Outcome: "busy"},
		{LeadID: res[0].LeadID, At: t0, Outcome: "maybe"},
		{LeadID: res[0].LeadID, At: t0.Add(12 * time.Minute), Outcome: "reached", Channel: "email"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if cr[0].Error != "" || cr[0].Consent != "granted" || cr[1].Error == "" || cr[2].Error == "" || cr[3].Consent != "missing" {
		t.Fatalf("contact results %+v", cr)
	}
	l, _ := st.FindLeadByID(ctx, res[0].LeadID)
	if l.ConvertedValue != 900 || l.Attempts != 2 || !l.FirstContactAt.Equal(t0.Add(11*time.Minute)) {
		t.Fatalf("lead after contacts %+v", l)
	}
	q, err := svc.Queue(ctx, "phone", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Leads) != 1 || q.Leads[0].LeadID != res[1].LeadID || len(q.Checks) != 1 || !q.Checks[0].Allowed {
		t.Fatalf("queue %+v; want the unconverted lead, its consent checked", q)
	}
	if n := app.names()[leads.EventConsentChecked+"track"]; n != 1 {
		t.Fatalf("%d consent checks recorded, want 1", n)
	}
	proof, err := svc.Consent(ctx, res[0].LeadID)
	if err != nil || !proof.HashMatches || len(proof.Checks) != len(rapport.ConsentChannels) {
		t.Fatalf("consent proof %+v, %v", proof, err)
	}
}

func TestPrice(t *testing.T) {
	svc, st, _, _ := setup(t)
	ctx := context.Background()
	ping := newLead("", "", "")
	first, err := svc.Price(ctx, vendor(t, st), ping)
	if err != nil {
		t.Fatal(err)
	}
	if first.Inquiry != 1 || first.Bid <= 0 || first.Bid != first.Value.MaxPrice || first.AskingPrice != 30 || first.Accept != (30 <= first.Bid) {
		t.Fatalf("bid %+v", first)
	}
	if _, err := svc.Intake(ctx, vendor(t, st), []rapport.Lead{newLead("a", "ana@example.com", "")}); err != nil {
		t.Fatal(err)
	}
	again, err := svc.Price(ctx, vendor(t, st), newLead("", "ana@example.com", ""))
	if err != nil {
		t.Fatal(err)
	}
	if again.Inquiry != 2 || again.Bid <= first.Bid {
		t.Fatalf("a person who inquired before: %+v; want inquiry 2 and a higher bid than %v", again, first.Bid)
	}
	if leads, _, _ := st.FindBoughtLeads(ctx, rapport.BoughtLeadFilter{}); len(leads) != 1 {
		t.Fatalf("pricing stored leads: %d stored, want 1", len(leads))
	}
	if _, err := svc.Price(ctx, vendor(t, st), rapport.Lead{}); rapport.ErrorCode(err) != rapport.EINVALID {
		t.Fatalf("a ping without a submission time: %v, want EINVALID", err)
	}
}

func TestTrainAndReports(t *testing.T) {
	svc, st, _, clk := setup(t)
	ctx := context.Background()
	var in []rapport.Lead
	for i := range 300 {
		l := newLead("t"+itoa(i), "p"+itoa(i)+"@example.com", "")
		l.Person.FirstName, l.SubmittedAt, l.Consent.At = "P"+itoa(i), t0.Add(-time.Duration(i)*time.Minute), t0.Add(-time.Duration(i)*time.Minute)
		if i%3 == 0 {
			l.Form = rapport.FormSignals{Seconds: 10, Input: "pasted", CompletedBy: "agent"}
		}
		in = append(in, l)
	}
	clk.t = t0.Add(time.Hour)
	res, err := svc.Intake(ctx, vendor(t, st), in)
	if err != nil {
		t.Fatal(err)
	}
	var contacts []rapport.LeadContact
	for i, r := range res {
		if i%3 != 0 && i%4 == 0 {
			contacts = append(contacts, rapport.LeadContact{LeadID: r.LeadID, At: t0.Add(2 * time.Hour), Outcome: "converted", Value: 500})
		}
	}
	if _, err := svc.Contacts(ctx, contacts); err != nil {
		t.Fatal(err)
	}
	clk.t = t0.AddDate(0, 2, 0)
	tr, err := svc.Train(ctx, "logistic")
	if err != nil {
		t.Fatal(err)
	}
	if tr.Version != 1 || tr.Rows != 210 || svc.Estimator().Name() != "lead model (logistic)" {
		t.Fatalf("trained %+v, estimator %s", tr, svc.Estimator().Name())
	}
	fresh := leads.New(leads.Config{Store: st, Ingest: &appender{}})
	if err := fresh.LoadModel(ctx); err != nil || fresh.Estimator().Name() != "lead model (logistic)" {
		t.Fatalf("a new service loads %s, %v", fresh.Estimator().Name(), err)
	}
	cards, err := svc.Scorecards(ctx, leads.Range{}, "month")
	if err != nil || len(cards) != 1 || cards[0].Leads != 300 || cards[0].Conversions != len(contacts) {
		t.Fatalf("scorecards %+v, %v", cards, err)
	}
	if sp, err := svc.SpeedBy(ctx, leads.Range{VendorID: "v1"}, "vendor"); err != nil || sp[0].Leads != 300 {
		t.Fatalf("speed %+v, %v", sp, err)
	}
	if tr, err := svc.Trends(ctx, leads.Range{}, "region"); err != nil || tr[0].Group != "unknown" {
		t.Fatalf("trends %+v, %v", tr, err)
	}
}

func itoa(i int) string {
	return string(rune('a'+i/26%26)) + string(rune('a'+i%26)) + string(rune('0'+i/676))
}

// TestIntakeConcurrent sends the inquiries of the same people from many
// requests at once: grouped into shared transactions, every lead is
// stored once and each person's inquiries are counted 1, 2, 3, ...
func TestIntakeConcurrent(t *testing.T) {
	svc, st, _, _ := setup(t)
	ctx := context.Background()
	v := vendor(t, st)
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for r := range 20 {
		wg.Go(func() {
			var batch []rapport.Lead
			for p := range 5 {
				l := newLead(fmt.Sprintf("r%d-p%d", r, p), fmt.Sprintf("p%d@example.com", p), "")
				l.Person.FirstName = fmt.Sprint("P", p)
				batch = append(batch, l)
			}
			res, err := svc.Intake(ctx, v, batch)
			if err == nil && res[0].Error != "" {
				err = fmt.Errorf("%s", res[0].Error)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	ls, total, err := st.FindBoughtLeads(ctx, rapport.BoughtLeadFilter{Limit: 1000})
	if err != nil || total != 100 {
		t.Fatalf("%d leads stored, %v; want 100", total, err)
	}
	seen := map[string]map[int]bool{}
	for _, l := range ls {
		if seen[l.PersonID] == nil {
			seen[l.PersonID] = map[int]bool{}
		}
		if seen[l.PersonID][l.Inquiry] {
			t.Fatalf("person %s has two leads of inquiry %d", l.PersonID, l.Inquiry)
		}
		seen[l.PersonID][l.Inquiry] = true
	}
	if len(seen) != 5 {
		t.Fatalf("%d persons, want 5", len(seen))
	}
}

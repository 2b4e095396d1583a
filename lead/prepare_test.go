package lead_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/lead"
)

var received = submitted.Add(3 * time.Minute)

func testVendor() *rapport.Vendor {
	return &rapport.Vendor{ID: "v1", Name: "Vendor One", Price: 30, SharedWith: 2, Active: true}
}

func testLead() rapport.Lead {
	return rapport.Lead{ExternalID: "v1-77", Person: rapport.LeadPerson{FirstName: "Ana", LastName: "Diaz",
		Email: "ana@example.com", Phone: "+12065550100"},
		Answers:     map[string]any{"product": "auto", "marital_status": "married"},
		SubmittedAt: submitted, DeliveredAt: submitted.Add(2 * time.Minute),
		Form:    rapport.FormSignals{Seconds: 80, Input: "typed", CompletedBy: "consumer"},
		Consent: validConsent()}
}

func TestPrepare(t *testing.T) {
	l := testLead()
	l.DeliveredAt = time.Time{}
	if err := lead.Prepare(&l, testVendor(), received); err != nil {
		t.Fatal(err)
	}
	if l.VendorID != "v1" || l.Price != 30 || !l.DeliveredAt.Equal(received) || !l.ReceivedAt.Equal(received) {
		t.Fatalf("defaults: vendor %q price %v delivered %v received %v", l.VendorID, l.Price, l.DeliveredAt, l.ReceivedAt)
	}
	if !l.Contactable || l.EngagementLevel != lead.LevelHigh || l.Consent.EvidenceHash == "" {
		t.Fatalf("contactable %v (%s), engagement %s, hash %q", l.Contactable, l.ConsentProblem, l.EngagementLevel, l.Consent.EvidenceHash)
	}
	if got := l.Age(received.Add(time.Minute)); got != 4*time.Minute {
		t.Fatalf("age %v, want 4m from the consumer's submission", got)
	}
	noConsent := testLead()
	noConsent.Consent = nil
	if err := lead.Prepare(&noConsent, testVendor(), received); err != nil || noConsent.Contactable || noConsent.ConsentProblem != "no consent record" {
		t.Fatalf("a lead without consent: err %v, contactable %v, problem %q; want kept, not contactable", err, noConsent.Contactable, noConsent.ConsentProblem)
	}
	a, b := testLead(), testLead()
	a.ExternalID, b.ExternalID = "", ""
	a.Raw, b.Raw = json.RawMessage(`{"a":1}`), json.RawMessage(`{"a":1}`)
	_ = lead.Prepare(&a, testVendor(), received)
	_ = lead.Prepare(&b, testVendor(), received.Add(time.Hour))
	if a.ExternalID == "" || a.ExternalID != b.ExternalID {
		t.Fatalf("the same payload sent twice has ids %q and %q, want one", a.ExternalID, b.ExternalID)
	}
}

func TestPrepareRefuses(t *testing.T) {
	for _, tt := range []struct {
		change func(*rapport.Lead)
		want   string
	}{
		{func(l *rapport.Lead) { l.Person.Email, l.Person.Phone = "", "" }, "person: give an email or a phone"},
		{func(l *rapport.Lead) { l.Person.Email = "nope" }, `person.email: "nope" is not an email address`},
		{func(l *rapport.Lead) { l.Person.Phone = "12" }, `person.phone: "12" is not a phone number`},
		{func(l *rapport.Lead) { l.SubmittedAt = time.Time{} }, "submittedAt: required"},
		{func(l *rapport.Lead) { l.SubmittedAt = received.Add(time.Hour) }, "is in the future"},
		{func(l *rapport.Lead) { l.DeliveredAt = submitted.Add(-time.Hour) }, "deliveredAt: before submittedAt"},
		{func(l *rapport.Lead) { l.Price = -1 }, "price: must be a finite amount"},
		{func(l *rapport.Lead) { l.Form.Input = "typing" }, "form.input: must be typed, pasted, autofilled or mixed"},
		{func(l *rapport.Lead) { l.Form.CompletedBy = "robot" }, "form.completedBy"},
		{func(l *rapport.Lead) { l.Form.BotScore = 2 }, "form.botScore"},
		{func(l *rapport.Lead) { l.Form.DeviceLeads5m = -1 }, "form.deviceLeads5m"},
		{func(l *rapport.Lead) { l.Person.FirstName = "a\x00b" }, "text fields must be UTF-8 without NUL"},
		{func(l *rapport.Lead) { l.Person.BirthYear = 1200 }, "person.birthYear"},
		{func(l *rapport.Lead) { l.Journey.Visits = -2 }, "journey.visits"},
	} {
		l := testLead()
		tt.change(&l)
		err := lead.Prepare(&l, testVendor(), received)
		if rapport.ErrorCode(err) != rapport.EINVALID || !strings.Contains(rapport.ErrorMessage(err), tt.want) {
			t.Errorf("Prepare = %v, want EINVALID with %q", err, tt.want)
		}
	}
}

func TestValueAndTier(t *testing.T) {
	p := lead.DefaultPricing()
	p.ValueBy = map[string]map[string]float64{"product": {"home": 2000}}
	fixed := fixedP(0.2)
	for _, tt := range []struct {
		name     string
		change   func(*rapport.Lead)
		known    float64
		want     rapport.LeadValue
		wantTier string
	}{
		{"hot", func(*rapport.Lead) {}, 0, rapport.LeadValue{Probability: 0.2, CustomerValue: 1000, CostToWork: 15, Expected: 185, MaxPrice: 148, Model: "fixed"}, lead.TierHot},
		{"value by answer", func(l *rapport.Lead) { l.Answers["product"] = "home" }, 0, rapport.LeadValue{Probability: 0.2, CustomerValue: 2000, CostToWork: 15, Expected: 385, MaxPrice: 308, Model: "fixed"}, lead.TierHot},
		{"known lifetime value", func(*rapport.Lead) {}, 500, rapport.LeadValue{Probability: 0.2, CustomerValue: 500, CostToWork: 15, Expected: 85, MaxPrice: 68, Model: "fixed"}, lead.TierHot},
		{"no consent is worth nothing", func(l *rapport.Lead) { l.Consent = nil }, 0, rapport.LeadValue{CustomerValue: 1000, CostToWork: 15, Model: "fixed"}, lead.TierHold},
		{"bot goes to review", func(l *rapport.Lead) { l.Form.BotScore = 0.95 }, 0, rapport.LeadValue{Probability: 0.2, CustomerValue: 1000, CostToWork: 15, Expected: 185, MaxPrice: 148, Model: "fixed"}, lead.TierReview},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l := testLead()
			tt.change(&l)
			if err := lead.Prepare(&l, testVendor(), received); err != nil {
				t.Fatal(err)
			}
			lead.Complete(&l, testVendor(), fixed, p, lead.Routing{lead.TierHot: "closers", "default": "sales"}, tt.known)
			if l.Value != tt.want || l.Tier != tt.wantTier {
				t.Fatalf("value %+v tier %s, want %+v %s", l.Value, l.Tier, tt.want, tt.wantTier)
			}
			if wantTeam := map[bool]string{true: "closers", false: "sales"}[tt.wantTier == lead.TierHot]; l.Team != wantTeam {
				t.Fatalf("team %q, want %q", l.Team, wantTeam)
			}
		})
	}
	cold := lead.Pricing{CustomerValue: 100, CostToWork: 50, HotProbability: 0.5, WarmProbability: 0.3}
	l := testLead()
	_ = lead.Prepare(&l, testVendor(), received)
	lead.Complete(&l, testVendor(), fixed, cold, nil, 0)
	if l.Value.Expected != -30 || l.Value.MaxPrice != 0 || l.Tier != lead.TierCold {
		t.Fatalf("a lead worth less than its working cost: %+v %s; want expected -30, max price 0, cold", l.Value, l.Tier)
	}
}

// fixedP is an estimator that answers one probability.
type fixedP float64

func (f fixedP) Probability(*rapport.Lead, *rapport.Vendor) float64 { return float64(f) }
func (fixedP) Name() string                                         { return "fixed" }

func TestPrior(t *testing.T) {
	v := testVendor()
	fresh := testLead()
	_ = lead.Prepare(&fresh, &rapport.Vendor{ID: "v1", Exclusive: true}, submitted)
	fresh.Inquiry = 1
	base := lead.Prior{}.Probability(&fresh, &rapport.Vendor{ID: "v1", Exclusive: true})
	if base < 0.099 || base > 0.101 {
		t.Fatalf("a fresh exclusive engaged first inquiry: P = %v, want the base rate 0.1", base)
	}
	older, shared, again := fresh, fresh, fresh
	older.ReceivedAt = submitted.Add(3 * time.Hour)
	again.Inquiry = 3
	for _, tt := range []struct {
		name string
		l    rapport.Lead
		v    *rapport.Vendor
		more bool
	}{
		{"three hours old", older, &rapport.Vendor{ID: "v1", Exclusive: true}, false},
		{"shared with two others", shared, v, false},
		{"third inquiry", again, &rapport.Vendor{ID: "v1", Exclusive: true}, true},
	} {
		p := lead.Prior{}.Probability(&tt.l, tt.v)
		if (p > base) != tt.more || p == base {
			t.Errorf("%s: P = %v against %v for a fresh first inquiry; want it %s", tt.name, p, base, map[bool]string{true: "higher", false: "lower"}[tt.more])
		}
	}
}

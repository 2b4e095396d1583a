package economics_test

import (
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/clv"
	"github.com/rapportdev/rapport/economics"
)

// now is the time every test computes figures at.
var now = time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC)

// weeksAgo is now minus w weeks.
func weeksAgo(w float64) time.Time {
	return now.Add(-time.Duration(w * float64(7*24*time.Hour)))
}

func TestGrossMargin(t *testing.T) {
	tests := []struct {
		name                          string
		revenue, cost, margin         float64
		wantMargin, wantEstimatedPart float64
	}{
		{"no cost known: revenue × rate", 100, 0, 0, 30, 100},
		{"every cost known", 100, 60, 40, 40, 0},
		{"some costs known", 150, 60, 40, 40 + 0.3*50, 50},
		{"a refund larger than the uncosted part", 90, 60, 40, 40, 0},
		{"sold below cost", 100, 120, -20, -20, 0},
		{"no revenue", 0, 0, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, est := economics.GrossMargin(rapport.Aggregates{Revenue: tt.revenue, Cost: tt.cost, Margin: tt.margin}, 0.3)
			if !near(m, tt.wantMargin, 1e-12) || est != tt.wantEstimatedPart {
				t.Errorf("GrossMargin = %v, %v; want %v, %v", m, est, tt.wantMargin, tt.wantEstimatedPart)
			}
		})
	}
}

func TestServiceEffort(t *testing.T) {
	tests := []struct {
		name    string
		trait   any
		tickets int64
		want    float64
	}{
		{"trait", 7.0, 2, 7},
		{"trait as text, above the scale", "12", 0, 10},
		{"trait below the scale", 0.0, 5, 1},
		{"no trait: tickets", nil, 3, 3},
		{"no trait: tickets capped", nil, 25, 10},
		{"no trait, no ticket", nil, 0, 0},
		{"trait not a number: tickets", "high", 4, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &rapport.Profile{Traits: map[string]any{},
				Aggregates: rapport.Aggregates{Events: map[string]int64{economics.EventSupportTicket: tt.tickets}}}
			if tt.trait != nil {
				p.Traits[economics.TraitServiceEffort] = tt.trait
			}
			if got := economics.ServiceEffort(p); got != tt.want {
				t.Errorf("ServiceEffort = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMessageCount(t *testing.T) {
	tests := []struct {
		name   string
		events map[string]int64
		want   float64
	}{
		{"sends", map[string]int64{"Email Sent": 5, "SMS Sent": 2, "Email Opened": 3}, 7},
		{"no send tracked: opens", map[string]int64{"Email Opened": 3, "Page": 9}, 3},
		{"nothing", map[string]int64{"Order Completed": 2}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &rapport.Profile{Aggregates: rapport.Aggregates{Events: tt.events}}
			if got := economics.MessageCount(p, economics.Defaults()); got != tt.want {
				t.Errorf("MessageCount = %v, want %v", got, tt.want)
			}
		})
	}
}

// testProfile is a customer seen 12 weeks ago, who ordered 3 times for 300
// (first 10 weeks ago, last 2 weeks ago), opened 2 tickets and was sent 10
// emails; no cost of goods is known.
func testProfile() *rapport.Profile {
	return &rapport.Profile{ID: "p1", Kind: rapport.ProfilePerson,
		Identities: []rapport.Identity{{Kind: rapport.IdentityUserID, Value: "u1"}},
		Aggregates: rapport.Aggregates{FirstSeen: weeksAgo(12), Orders: 3, Revenue: 300, AverageOrderValue: 100,
			FirstOrderAt: weeksAgo(10), LastOrderAt: weeksAgo(2),
			Events: map[string]int64{economics.EventSupportTicket: 2, "Email Sent": 10}}}
}

func TestNewCustomer(t *testing.T) {
	c, ok := economics.NewCustomer(testProfile(), now, economics.Defaults())
	if !ok {
		t.Fatal("NewCustomer: not a customer")
	}
	want := economics.Customer{ID: "p1", UserID: "u1", Orders: 3, Revenue: 300, GrossMargin: 90, EstimatedRevenue: 300,
		Effort: 2, Messages: 10, CostToServe: 2*10 + 10*0.02, TenureWeeks: 12,
		History: clv.Customer{X: 2, TX: 8, T: 10, Value: 100}, Timed: true}
	if !near(c.TenureWeeks, 12, 1e-12) || !near(c.History.TX, 8, 1e-12) || !near(c.History.T, 10, 1e-12) {
		t.Fatalf("times: tenure %v, t_x %v, T %v; want 12, 8, 10", c.TenureWeeks, c.History.TX, c.History.T)
	}
	c.TenureWeeks, c.History.TX, c.History.T = 12, 8, 10
	if c != want {
		t.Errorf("NewCustomer =\n%+v, want\n%+v", c, want)
	}
	if _, ok := economics.NewCustomer(&rapport.Profile{ID: "visitor"}, now, economics.Defaults()); ok {
		t.Error("a profile without an order is a customer")
	}
}

func TestNewCustomerEdges(t *testing.T) {
	tests := []struct {
		name        string
		edit        func(*rapport.Aggregates)
		wantTimed   bool
		wantTenure  float64
		wantHistory clv.Customer
	}{
		{"imported totals without order times", func(a *rapport.Aggregates) {
			a.FirstOrderAt, a.LastOrderAt, a.FirstSeen = time.Time{}, time.Time{}, time.Time{}
		}, false, economics.MinTenureWeeks, clv.Customer{}},
		{"new customer: tenure floored", func(a *rapport.Aggregates) {
			a.Orders, a.FirstSeen, a.FirstOrderAt, a.LastOrderAt = 1, weeksAgo(1), weeksAgo(1), weeksAgo(1)
		}, true, economics.MinTenureWeeks, clv.Customer{X: 0, TX: 0, T: 1}},
		{"order times ahead of now", func(a *rapport.Aggregates) {
			a.FirstOrderAt, a.LastOrderAt = weeksAgo(-1), weeksAgo(-2)
		}, true, 12, clv.Customer{X: 2, TX: 1, T: 1, Value: 100}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testProfile()
			tt.edit(&p.Aggregates)
			c, ok := economics.NewCustomer(p, now, economics.Defaults())
			if !ok || c.Timed != tt.wantTimed || !near(c.TenureWeeks, tt.wantTenure, 1e-12) {
				t.Fatalf("customer %v timed %v tenure %v; want timed %v tenure %v", ok, c.Timed, c.TenureWeeks, tt.wantTimed, tt.wantTenure)
			}
			h := c.History
			if h.X != tt.wantHistory.X || !near(h.TX+1, tt.wantHistory.TX+1, 1e-12) || !near(h.T+1, tt.wantHistory.T+1, 1e-12) || h.Value != tt.wantHistory.Value {
				t.Errorf("history %+v, want %+v", h, tt.wantHistory)
			}
		})
	}
}

func TestMarginRate(t *testing.T) {
	o := economics.Defaults()
	tests := []struct {
		c    economics.Customer
		want float64
	}{
		{economics.Customer{Revenue: 200, GrossMargin: 50}, 0.25},
		{economics.Customer{Revenue: 0, GrossMargin: 0}, o.DefaultMarginRate},
		{economics.Customer{Revenue: 10, GrossMargin: 40}, 1}, // refunds took revenue below margin
		{economics.Customer{Revenue: 100, GrossMargin: -20}, -0.2},
	}
	for _, tt := range tests {
		if got := tt.c.MarginRate(o); got != tt.want {
			t.Errorf("MarginRate(%+v) = %v, want %v", tt.c, got, tt.want)
		}
	}
}

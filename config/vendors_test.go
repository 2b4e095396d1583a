package config_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/config"
	"github.com/rapportdev/rapport/lead"
)

func TestLeadsSection(t *testing.T) {
	c, err := config.Parse([]byte(`leads:
  vendors:
    - id: quotes-direct
      name: Quotes Direct
      exclusive: true
      price: 42
      attributes: {source: search}
      terms: {return_window_hours: 72, return_reasons: [bad phone], monthly_cap: 5000, daily_cap: 300, over_cap: unpaid}
    - {id: shared, name: Shared Leads Co, shared_with: 3, price: 12, active: false}
  value:
    customer_value: 1200
    value_by: {product: {home: 1800}}
    margin: 0.25
  sla: {hot: 2m, cold: 1d}
  routing: {hot: closers, default: nurture}
  model_answers: [product]
  conversion_event: Policy Bound
`))
	if err != nil {
		t.Fatal(err)
	}
	l := c.LeadSettings()
	if len(l.Vendors) != 2 || !l.Vendors[0].Exclusive || l.Vendors[0].Terms.MonthlyCap != 5000 || !l.Vendors[0].Active ||
		l.Vendors[1].Active || l.Vendors[1].SharedWith != 3 {
		t.Fatalf("vendors %+v", l.Vendors)
	}
	want := lead.DefaultPricing()
	want.CustomerValue, want.Margin, want.ValueBy = 1200, 0.25, map[string]map[string]float64{"product": {"home": 1800}}
	if l.Pricing.CustomerValue != want.CustomerValue || l.Pricing.Margin != want.Margin || l.Pricing.CostToWork != want.CostToWork ||
		l.Pricing.ValueBy["product"]["home"] != 1800 {
		t.Fatalf("pricing %+v, want %+v", l.Pricing, want)
	}
	if l.SLA["hot"] != 2*time.Minute || l.SLA["cold"] != 24*time.Hour || len(l.SLA) != 2 {
		t.Fatalf("sla %v", l.SLA)
	}
	if tm := l.Vendors[0].Terms; tm.DailyCap != 300 || tm.OverCap != rapport.OverCapUnpaid || l.ConversionEvent != "Policy Bound" {
		t.Fatalf("terms %+v, conversion event %q", tm, l.ConversionEvent)
	}
	if l.Routing["default"] != "nurture" || l.ModelAnswers[0] != "product" {
		t.Fatalf("routing %v answers %v", l.Routing, l.ModelAnswers)
	}
}

func TestLeadsDefaults(t *testing.T) {
	c, err := config.Parse([]byte("rescore: {every: 1h}\n"))
	if err != nil {
		t.Fatal(err)
	}
	l := c.LeadSettings()
	if l.Pricing.CustomerValue != lead.DefaultPricing().CustomerValue || l.SLA["hot"] != 5*time.Minute {
		t.Fatalf("defaults %+v", l)
	}
}

func TestLeadsErrorsNameFieldAndLine(t *testing.T) {
	for _, tt := range []struct{ yaml, want string }{
		{"leads:\n  vendors:\n    - {id: a, name: A}\n    - {id: a, name: B}\n", "leads.vendors[1] (line 4): id a is declared twice"},
		{"leads:\n  vendors:\n    - id: a\n      name: A\n      price: -1\n", "leads.vendors[0] (line 3): price"},
		{"leads:\n  vendors:\n    - id: a\n      nmae: A\n", "line 4: field nmae not found in leads.vendors[0]"},
		{"leads:\n  value:\n    margin: 1.5\n", "leads.value (line 2): margin"},
		{"leads:\n  sla: {hot: 0s}\n", "leads.sla.hot (line 2)"},
		{"leads:\n  vendors:\n    - id: a\n      name: A\n      terms: {daily_cap: -1}\n", "leads.vendors[0] (line 3): terms.daily_cap: must not be negative"},
		{"leads:\n  vendors:\n    - id: a\n      name: A\n      terms: {over_cap: maybe}\n", "leads.vendors[0] (line 3): terms.over_cap: must be refuse or unpaid"},
		{"leads:\n  conversion_event: ''\n", "leads.conversion_event (line 2)"},
		{"leads:\n  slas: {}\n", "line 2: field slas not found in leads"},
		{"leads:\n  vendors:\n    - id: a\n      name: A\n      terms: {cap: 3}\n", "line 5: field cap not found in leads.vendors[0].terms"},
	} {
		_, err := config.Parse([]byte(tt.yaml))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) = %v, want an error with %q", tt.yaml, err, tt.want)
		}
	}
}

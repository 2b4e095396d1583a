package config

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/lead"
	"github.com/rapportdev/rapport/scoring"
)

// Leads is rapport.yaml's leads section: the vendors leads are bought
// from, what a lead is worth, the SLA per tier and who works each tier
// (docs/leads.md). Everything is optional.
//
//	leads:
//	  vendors:
//	    - id: quotes-direct
//	      name: Quotes Direct
//	      exclusive: true
//	      price: 42
//	      attributes: {source: search, verified: phone}
//	      terms: {return_window_hours: 72, return_reasons: [bad phone], monthly_cap: 5000, daily_cap: 300, over_cap: unpaid}
//	    - {id: shared-leads, name: Shared Leads Co, shared_with: 3, price: 12}
//	  value:
//	    customer_value: 1200
//	    value_by: {product: {home: 1800, auto: 700}}
//	    cost_to_work: 15
//	    margin: 0.2
//	    hot_probability: 0.15
//	    warm_probability: 0.05
//	  sla: {hot: 5m, warm: 1h, cold: 1d}
//	  alert_tiers: [hot]
//	  sla_check_every: 15s
//	  routing: {hot: closers, warm: sales, default: nurture}
//	  model_answers: [product, credit]
//	  conversion_event: Order Completed
type Leads struct {
	Vendors      []rapport.Vendor
	Pricing      lead.Pricing
	SLA          lead.SLA
	AlertTiers   []string
	Routing      lead.Routing
	ModelAnswers []string
	// SLACheckEvery is how often waiting leads are checked against the
	// SLA; 0 leaves the service's default (15 s).
	SLACheckEvery time.Duration
	// ConversionEvent is the track event that converts a lead; "" leaves
	// the service's default (Order Completed).
	ConversionEvent string
}

// leadsYAML is the section as written.
type leadsYAML struct {
	Vendors         []vendorYAML                `yaml:"vendors"`
	Value           *valueYAML                  `yaml:"value"`
	SLA             map[string]scoring.Duration `yaml:"sla"`
	AlertTiers      []string                    `yaml:"alert_tiers"`
	Routing         map[string]string           `yaml:"routing"`
	ModelAnswers    []string                    `yaml:"model_answers"`
	SLACheckEvery   *scoring.Duration           `yaml:"sla_check_every"`
	ConversionEvent *string                     `yaml:"conversion_event"`
}

type vendorYAML struct {
	ID         string            `yaml:"id"`
	Name       string            `yaml:"name"`
	Exclusive  bool              `yaml:"exclusive"`
	SharedWith int               `yaml:"shared_with"`
	Price      float64           `yaml:"price"`
	Attributes map[string]string `yaml:"attributes"`
	Terms      struct {
		ReturnWindowHours int      `yaml:"return_window_hours"`
		ReturnReasons     []string `yaml:"return_reasons"`
		MonthlyCap        int      `yaml:"monthly_cap"`
		DailyCap          int      `yaml:"daily_cap"`
		OverCap           string   `yaml:"over_cap"`
		Notes             string   `yaml:"notes"`
	} `yaml:"terms"`
	Active *bool `yaml:"active"`
}

type valueYAML struct {
	CustomerValue   *float64                      `yaml:"customer_value"`
	ValueBy         map[string]map[string]float64 `yaml:"value_by"`
	CostToWork      *float64                      `yaml:"cost_to_work"`
	Margin          *float64                      `yaml:"margin"`
	HotProbability  *float64                      `yaml:"hot_probability"`
	WarmProbability *float64                      `yaml:"warm_probability"`
}

// LeadSettings returns the section with its defaults filled in: the
// default pricing and SLA where the file sets none.
func (c *Config) LeadSettings() Leads {
	l := c.Leads
	if l.Pricing.CustomerValue == 0 && l.Pricing.ValueBy == nil && l.Pricing.CostToWork == 0 {
		l.Pricing = lead.DefaultPricing()
	}
	if l.SLA == nil {
		l.SLA = lead.DefaultSLA()
	}
	return l
}

// UnmarshalYAML reads and checks the section; errors name the field and
// its line.
func (l *Leads) UnmarshalYAML(n *yaml.Node) error {
	if err := strictKeys(n, reflect.TypeFor[leadsYAML](), "leads"); err != nil {
		return err
	}
	var raw leadsYAML
	if err := n.Decode(&raw); err != nil {
		return fmt.Errorf("leads: %w", err)
	}
	out := Leads{AlertTiers: raw.AlertTiers, Routing: raw.Routing, ModelAnswers: raw.ModelAnswers, Pricing: lead.DefaultPricing()}
	if e := raw.ConversionEvent; e != nil {
		if strings.TrimSpace(*e) == "" || len(*e) > 200 {
			return fmt.Errorf("leads.conversion_event (line %d): must name a track event, at most 200 bytes", fieldLine(n, "conversion_event"))
		}
		out.ConversionEvent = *e
	}
	seen := map[string]bool{}
	for i, v := range raw.Vendors {
		vendor := v.vendor()
		line := itemLine(n, "vendors", i)
		if err := vendor.Validate(); err != nil {
			return fmt.Errorf("leads.vendors[%d] (line %d): %s", i, line, yamlField(rapport.ErrorMessage(err)))
		}
		if seen[vendor.ID] {
			return fmt.Errorf("leads.vendors[%d] (line %d): id %s is declared twice", i, line, vendor.ID)
		}
		seen[vendor.ID] = true
		out.Vendors = append(out.Vendors, vendor)
	}
	if raw.Value != nil {
		raw.Value.apply(&out.Pricing)
		if err := out.Pricing.Validate(); err != nil {
			return fmt.Errorf("leads.value (line %d): %s", fieldLine(n, "value"), err)
		}
	}
	if e := raw.SLACheckEvery; e != nil {
		if e.Std() <= 0 {
			return fmt.Errorf("leads.sla_check_every (line %d): must be above zero", fieldLine(n, "sla_check_every"))
		}
		out.SLACheckEvery = e.Std()
	}
	if raw.SLA != nil {
		out.SLA = lead.SLA{}
		for tier, d := range raw.SLA {
			if d.Std() <= 0 {
				return fmt.Errorf("leads.sla.%s (line %d): must be above zero", tier, fieldLine(n, "sla"))
			}
			out.SLA[tier] = d.Std()
		}
	}
	*l = out
	return nil
}

func (v *vendorYAML) vendor() rapport.Vendor {
	return rapport.Vendor{ID: v.ID, Name: v.Name, Exclusive: v.Exclusive, SharedWith: v.SharedWith, Price: v.Price,
		Attributes: v.Attributes, Active: v.Active == nil || *v.Active,
		Terms: rapport.VendorTerms{ReturnWindowHours: v.Terms.ReturnWindowHours, ReturnReasons: v.Terms.ReturnReasons,
			MonthlyCap: v.Terms.MonthlyCap, DailyCap: v.Terms.DailyCap, OverCap: v.Terms.OverCap, Notes: v.Terms.Notes}}
}

func (v *valueYAML) apply(p *lead.Pricing) {
	for _, f := range []struct {
		src *float64
		dst *float64
	}{{v.CustomerValue, &p.CustomerValue}, {v.CostToWork, &p.CostToWork}, {v.Margin, &p.Margin},
		{v.HotProbability, &p.HotProbability}, {v.WarmProbability, &p.WarmProbability}} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	p.ValueBy = v.ValueBy
}

// strictKeys refuses a mapping key that t (a struct with yaml tags) does
// not have, naming its line, in n and in the structs below it: the
// section decodes through Node.Decode, which does not refuse unknown
// fields as the file's decoder does.
func strictKeys(n *yaml.Node, t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
		if n.Kind == yaml.SequenceNode {
			for i, item := range n.Content {
				if err := strictKeys(item, t, fmt.Sprintf("%s[%d]", path, i)); err != nil {
					return err
				}
			}
			return nil
		}
	}
	if t.Kind() != reflect.Struct || n.Kind != yaml.MappingNode {
		return nil
	}
	fields := map[string]reflect.Type{}
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		fields[name] = f.Type
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key := n.Content[i]
		ft, ok := fields[key.Value]
		if !ok {
			return fmt.Errorf("line %d: field %s not found in %s", key.Line, key.Value, path)
		}
		if err := strictKeys(n.Content[i+1], ft, path+"."+key.Value); err != nil {
			return err
		}
	}
	return nil
}

// fieldLine returns the line of a key of mapping n, or n's own line.
func fieldLine(n *yaml.Node, key string) int {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i].Line
		}
	}
	return n.Line
}

// itemLine returns the line of item i of the sequence under key.
func itemLine(n *yaml.Node, key string, i int) int {
	for k := 0; k+1 < len(n.Content); k += 2 {
		if seq := n.Content[k+1]; n.Content[k].Value == key && i < len(seq.Content) {
			return seq.Content[i].Line
		}
	}
	return n.Line
}

// yamlField names a vendor's field as rapport.yaml spells it in a
// validation message (terms.monthlyCap → terms.monthly_cap).
func yamlField(msg string) string {
	for _, f := range [][2]string{{"terms.returnWindowHours", "terms.return_window_hours"}, {"terms.monthlyCap", "terms.monthly_cap"},
		{"terms.dailyCap", "terms.daily_cap"}, {"terms.overCap", "terms.over_cap"}, {"sharedWith", "shared_with"}} {
		msg = strings.ReplaceAll(msg, f[0], f[1])
	}
	return msg
}

package config

import (
	"errors"
	"fmt"

	"gopkg.in/yaml.v3"

	"github.com/rapportdev/rapport/economics"
)

// Economics is rapport.yaml's economics section: what serving customers
// costs and how far ahead their value is counted (docs/economics.md).
// Fields left out keep economics.Defaults.
//
//	economics:
//	  cost_per_effort_unit: 10
//	  cost_per_message: 0.02
//	  message_events: [Email Sent, SMS Sent, Push Sent]
//	  proxy_message_events: [Email Opened]
//	  default_margin_rate: 0.3
//	  horizon_weeks: 52
//	  discount_rate_yearly: 0.1
type Economics struct {
	options economics.Options
	// set is whether the section was read: the zero value is the defaults.
	set bool
}

// Options returns the options the section declares, defaults filled in.
func (e Economics) Options() economics.Options {
	if !e.set {
		return economics.Defaults()
	}
	return e.options
}

// UnmarshalYAML reads the section field by field, so that an unknown field
// or a value out of range names its line.
func (e *Economics) UnmarshalYAML(n *yaml.Node) error {
	o := economics.Defaults()
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		*e = Economics{options: o, set: true}
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: economics: want a mapping of settings", n.Line)
	}
	fields := map[string]any{
		"cost_per_effort_unit": &o.CostPerEffortUnit,
		"cost_per_message":     &o.CostPerMessage,
		"message_events":       &o.MessageEvents,
		"proxy_message_events": &o.ProxyMessageEvents,
		"default_margin_rate":  &o.DefaultMarginRate,
		"horizon_weeks":        &o.HorizonWeeks,
		"discount_rate_yearly": &o.DiscountRateYearly,
	}
	lines := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, value := n.Content[i], n.Content[i+1]
		dst, ok := fields[key.Value]
		if !ok {
			return fmt.Errorf("line %d: field %s not found in economics", key.Line, key.Value)
		}
		if _, dup := lines[key.Value]; dup {
			return fmt.Errorf("line %d: economics.%s is set twice", key.Line, key.Value)
		}
		lines[key.Value] = key.Line
		if err := value.Decode(dst); err != nil {
			return fmt.Errorf("economics.%s: %w", key.Value, err)
		}
	}
	if err := o.Validate(); err != nil {
		var oe *economics.OptionError
		if errors.As(err, &oe) && lines[oe.Field] > 0 {
			return fmt.Errorf("economics.%s (line %d): %s", oe.Field, lines[oe.Field], oe.Problem)
		}
		return fmt.Errorf("economics: %w", err)
	}
	*e = Economics{options: o, set: true}
	return nil
}

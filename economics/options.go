package economics

import (
	"fmt"
	"math"
	"strings"
)

// Options are the costs, margin and horizon the figures are computed with:
// rapport.yaml's economics section (package config). Money is in the
// shop's currency, the one orders are recorded in.
type Options struct {
	// CostPerEffortUnit is what one unit of service effort costs: about
	// one support contact.
	CostPerEffortUnit float64 `json:"cost_per_effort_unit"`
	// CostPerMessage is what one message sent to a customer costs.
	CostPerMessage float64 `json:"cost_per_message"`
	// MessageEvents are the events that record a message sent.
	MessageEvents []string `json:"message_events"`
	// ProxyMessageEvents are counted instead, for a customer none of whose
	// sends are tracked: an opened email was at least one email sent.
	ProxyMessageEvents []string `json:"proxy_message_events"`
	// DefaultMarginRate is the share of revenue kept as gross margin where
	// the cost of goods is not known, 0 to 1.
	DefaultMarginRate float64 `json:"default_margin_rate"`
	// HorizonWeeks is how far ahead lifetime value and the expected cost
	// to serve are counted.
	HorizonWeeks int `json:"horizon_weeks"`
	// DiscountRateYearly discounts future money, e.g. 0.1 for 10% a year.
	DiscountRateYearly float64 `json:"discount_rate_yearly"`
}

// Defaults returns the options used where rapport.yaml sets none.
func Defaults() Options {
	return Options{
		CostPerEffortUnit:  10,
		CostPerMessage:     0.02,
		MessageEvents:      []string{"Email Sent", "SMS Sent", "Push Sent"},
		ProxyMessageEvents: []string{"Email Opened"},
		DefaultMarginRate:  0.3,
		HorizonWeeks:       52,
		DiscountRateYearly: 0.1,
	}
}

// MaxHorizonWeeks bounds the horizon: ten years, beyond which a forecast
// from a few months of history means nothing.
const MaxHorizonWeeks = 520

// OptionError is an option out of range: Field is its name in
// rapport.yaml, so the config can point at its line.
type OptionError struct {
	Field   string
	Problem string
}

// Error implements the error interface.
func (e *OptionError) Error() string { return e.Field + ": " + e.Problem }

// Validate returns an *OptionError for the first option out of range.
func (o Options) Validate() error {
	money := []struct {
		field string
		v     float64
	}{{"cost_per_effort_unit", o.CostPerEffortUnit}, {"cost_per_message", o.CostPerMessage}}
	for _, m := range money {
		if !(m.v >= 0) || math.IsInf(m.v, 0) {
			return &OptionError{m.field, fmt.Sprintf("%v, want an amount of 0 or more", m.v)}
		}
	}
	if err := eventNames("message_events", o.MessageEvents); err != nil {
		return err
	}
	if err := eventNames("proxy_message_events", o.ProxyMessageEvents); err != nil {
		return err
	}
	if !(o.DefaultMarginRate >= 0 && o.DefaultMarginRate <= 1) {
		return &OptionError{"default_margin_rate", fmt.Sprintf("%v, want a share from 0 to 1 (0.3 for 30%%)", o.DefaultMarginRate)}
	}
	if o.HorizonWeeks < 1 || o.HorizonWeeks > MaxHorizonWeeks {
		return &OptionError{"horizon_weeks", fmt.Sprintf("%d, want 1 to %d weeks", o.HorizonWeeks, MaxHorizonWeeks)}
	}
	if !(o.DiscountRateYearly >= 0 && o.DiscountRateYearly <= 1) {
		return &OptionError{"discount_rate_yearly", fmt.Sprintf("%v, want a yearly rate from 0 to 1 (0.1 for 10%%)", o.DiscountRateYearly)}
	}
	return nil
}

// eventNames refuses a blank event name.
func eventNames(field string, names []string) error {
	for i, n := range names {
		if strings.TrimSpace(n) == "" {
			return &OptionError{field, fmt.Sprintf("entry %d is blank, want an event name", i+1)}
		}
	}
	return nil
}

// WeeklyDiscountRate is the weekly rate equivalent to DiscountRateYearly
// over 52 weeks: (1 + yearly)^(1/52) − 1, about 0.00183 for 10%.
func (o Options) WeeklyDiscountRate() float64 {
	return math.Pow(1+o.DiscountRateYearly, 1.0/52) - 1
}

// DiscountedWeeks is Σ_{k=1..HorizonWeeks} 1/(1+d)^k for the weekly rate
// d: a cost of 1 a week over the horizon, discounted as lifetime value
// discounts purchases (each week's at its end).
func (o Options) DiscountedWeeks() float64 {
	d, sum, f := o.WeeklyDiscountRate(), 0.0, 1.0
	for range o.HorizonWeeks {
		f /= 1 + d
		sum += f
	}
	return sum
}

package economics_test

import (
	"errors"
	"math"
	"testing"

	"github.com/rapportdev/rapport/economics"
)

func TestOptionsValidate(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*economics.Options)
		field string // "" when valid
	}{
		{"defaults", func(*economics.Options) {}, ""},
		{"free service", func(o *economics.Options) { o.CostPerEffortUnit, o.CostPerMessage = 0, 0 }, ""},
		{"no proxy events", func(o *economics.Options) { o.ProxyMessageEvents = nil }, ""},
		{"negative effort cost", func(o *economics.Options) { o.CostPerEffortUnit = -1 }, "cost_per_effort_unit"},
		{"NaN message cost", func(o *economics.Options) { o.CostPerMessage = math.NaN() }, "cost_per_message"},
		{"infinite message cost", func(o *economics.Options) { o.CostPerMessage = math.Inf(1) }, "cost_per_message"},
		{"blank event", func(o *economics.Options) { o.MessageEvents = []string{"Email Sent", " "} }, "message_events"},
		{"blank proxy", func(o *economics.Options) { o.ProxyMessageEvents = []string{""} }, "proxy_message_events"},
		{"margin as a percentage", func(o *economics.Options) { o.DefaultMarginRate = 30 }, "default_margin_rate"},
		{"no horizon", func(o *economics.Options) { o.HorizonWeeks = 0 }, "horizon_weeks"},
		{"horizon too far", func(o *economics.Options) { o.HorizonWeeks = economics.MaxHorizonWeeks + 1 }, "horizon_weeks"},
		{"discount as a percentage", func(o *economics.Options) { o.DiscountRateYearly = 10 }, "discount_rate_yearly"},
		{"negative discount", func(o *economics.Options) { o.DiscountRateYearly = -0.1 }, "discount_rate_yearly"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := economics.Defaults()
			tt.edit(&o)
			err := o.Validate()
			var oe *economics.OptionError
			switch {
			case tt.field == "" && err != nil:
				t.Errorf("Validate = %v, want nil", err)
			case tt.field != "" && !errors.As(err, &oe):
				t.Errorf("Validate = %v, want an OptionError on %s", err, tt.field)
			case tt.field != "" && oe.Field != tt.field:
				t.Errorf("Validate names %s (%v), want %s", oe.Field, err, tt.field)
			}
		})
	}
}

func TestDiscounting(t *testing.T) {
	o := economics.Defaults()
	if got, want := o.WeeklyDiscountRate(), math.Pow(1.1, 1.0/52)-1; !near(got, want, 1e-15) {
		t.Errorf("weekly rate = %v, want %v", got, want)
	}
	// 52 weeks at the weekly rate equivalent to 10% a year: the annuity
	// (1 − 1.1^−1) / d.
	if got, want := o.DiscountedWeeks(), (1-1/1.1)/o.WeeklyDiscountRate(); !near(got, want, 1e-12) {
		t.Errorf("discounted weeks = %v, want %v", got, want)
	}
	o.DiscountRateYearly, o.HorizonWeeks = 0, 26
	if got := o.DiscountedWeeks(); got != 26 {
		t.Errorf("undiscounted weeks = %v, want 26", got)
	}
}

// near reports whether got is within rel of want.
func near(got, want, rel float64) bool {
	return math.Abs(got-want) <= rel*math.Max(math.Abs(want), 1e-300)
}

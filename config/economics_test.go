package config_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/config"
	"github.com/rapportdev/rapport/economics"
)

func TestEconomicsOptions(t *testing.T) {
	custom := economics.Defaults()
	custom.CostPerEffortUnit, custom.CostPerMessage = 25, 0.05
	custom.MessageEvents, custom.ProxyMessageEvents = []string{"Newsletter Sent"}, []string{}
	custom.DefaultMarginRate, custom.HorizonWeeks, custom.DiscountRateYearly = 0.45, 104, 0
	partial := economics.Defaults()
	partial.HorizonWeeks = 26
	tests := []struct {
		name, yaml string
		want       economics.Options
	}{
		{"no section: defaults", "rescore:\n  every: 1h\n", economics.Defaults()},
		{"empty section: defaults", "economics:\n", economics.Defaults()},
		{"one field", "economics:\n  horizon_weeks: 26\n", partial},
		{"every field", `economics:
  cost_per_effort_unit: 25
  cost_per_message: 0.05
  message_events: [Newsletter Sent]
  proxy_message_events: []
  default_margin_rate: 0.45
  horizon_weeks: 104
  discount_rate_yearly: 0
`, custom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := config.Parse([]byte(tt.yaml))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := c.Economics.Options(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Options =\n%+v, want\n%+v", got, tt.want)
			}
		})
	}
	if got := (&config.Config{}).Economics.Options(); !reflect.DeepEqual(got, economics.Defaults()) {
		t.Errorf("zero Config: %+v, want the defaults", got)
	}
}

func TestEconomicsErrorsNameFieldAndLine(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"margin as a percentage", "# costs\neconomics:\n  horizon_weeks: 52\n  default_margin_rate: 30\n",
			"economics.default_margin_rate (line 4): 30, want a share from 0 to 1"},
		{"negative cost", "economics:\n  cost_per_message: -0.1\n", "economics.cost_per_message (line 2)"},
		{"no horizon", "economics:\n  horizon_weeks: 0\n", "economics.horizon_weeks (line 2)"},
		{"discount as a percentage", "economics:\n\n  discount_rate_yearly: 10\n", "economics.discount_rate_yearly (line 3)"},
		{"blank event", "economics:\n  message_events:\n    - Email Sent\n    - \"\"\n", "economics.message_events (line 2): entry 2 is blank"},
		{"unknown field", "economics:\n  horizon: 52\n", "line 2: field horizon not found in economics"},
		{"not a number", "economics:\n  cost_per_effort_unit: ten\n", "line 2: cannot unmarshal"},
		{"a list wanted", "economics:\n  message_events: Email Sent\n", "economics.message_events"},
		{"not a mapping", "economics: 5\n", "line 1: economics: want a mapping"},
		{"set twice", "economics:\n  horizon_weeks: 5\n  horizon_weeks: 6\n", "line 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.Parse([]byte(tt.yaml))
			if rapport.ErrorCode(err) != rapport.EINVALID || !strings.Contains(rapport.ErrorMessage(err), tt.want) {
				t.Fatalf("Parse = %v; want EINVALID mentioning %q", err, tt.want)
			}
		})
	}
}

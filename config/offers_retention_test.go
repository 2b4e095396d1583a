package config_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/config"
)

func TestOffersRetention(t *testing.T) {
	for _, tt := range []struct {
		name, yaml string
		want       time.Duration
		wantErr    string
	}{
		{"no offers section", "", rapport.DefaultOfferRetention, ""},
		{"section without it", "offers:\n  control: 0.1\n", rapport.DefaultOfferRetention, ""},
		{"in days", "offers:\n  retention: 90d\n", 90 * 24 * time.Hour, ""},
		{"in weeks", "offers:\n  retention: 60w\n", 420 * 24 * time.Hour, ""},
		{"zero keeps everything", "offers:\n  retention: 0\n", 0, ""},
		{"shorter than a month", "offers:\n  retention: 7d\n", 0,
			"line 2: offers.retention: 7d keeps less than 30 days (a month, and twice the suppression cooldown)"},
		{"shorter than twice the cooldown", "offers:\n  suppression: {after: 3, cooldown: 20d}\n  retention: 35d\n", 0,
			"line 3: offers.retention: 35d keeps less than 40 days"},
		{"not a duration", "offers:\n  retention: forever\n", 0, `line 2: offers.retention: "forever" is not a duration`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := config.Parse([]byte(tt.yaml))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || c.Offers.Retention() != tt.want {
				t.Fatalf("retention %v, %v; want %v", c.Offers.Retention(), err, tt.want)
			}
		})
	}
}

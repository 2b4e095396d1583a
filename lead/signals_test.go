package lead_test

import (
	"testing"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/lead"
)

func TestFormEngagement(t *testing.T) {
	for _, tt := range []struct {
		name      string
		f         rapport.FormSignals
		score     float64
		level     string
		suspected bool
	}{
		{"typed by the consumer over a minute", rapport.FormSignals{Seconds: 75, Input: "typed", CompletedBy: "consumer"}, 100, lead.LevelHigh, false},
		{"nothing known", rapport.FormSignals{}, 51.2, lead.LevelMedium, false},
		{"autofilled by the consumer", rapport.FormSignals{Seconds: 40, Input: "autofilled", CompletedBy: "consumer"}, 75, lead.LevelHigh, false},
		{"finished by an agent", rapport.FormSignals{Seconds: 120, Input: "typed", CompletedBy: "agent"}, 60, lead.LevelHigh, false},
		{"pasted in 12 seconds", rapport.FormSignals{Seconds: 12, Input: "pasted", CompletedBy: "consumer"}, 24, lead.LevelLow, false},
		{"third lead from the device", rapport.FormSignals{Seconds: 60, Input: "typed", CompletedBy: "consumer", DeviceLeads5m: 2}, 50, lead.LevelMedium, false},
		{"two seconds", rapport.FormSignals{Seconds: 2, Input: "typed"}, 16, lead.LevelBot, true},
		{"certifier says bot", rapport.FormSignals{Seconds: 60, Input: "typed", CompletedBy: "consumer", BotScore: 0.9}, 10, lead.LevelBot, true},
		{"lead farm", rapport.FormSignals{Seconds: 60, Input: "typed", CompletedBy: "consumer", DeviceLeads5m: 6}, 10, lead.LevelBot, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			score, level := lead.FormEngagement(&tt.f)
			if score != tt.score || level != tt.level || lead.BotSuspected(&tt.f) != tt.suspected {
				t.Fatalf("FormEngagement = %v %s (bot %v), want %v %s (bot %v)", score, level, lead.BotSuspected(&tt.f),
					tt.score, tt.level, tt.suspected)
			}
		})
	}
}

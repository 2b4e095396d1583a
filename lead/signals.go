package lead

import (
	"math"

	"github.com/rapportdev/rapport"
)

// Engagement levels of a form, as the Lead Submitted event carries them in
// properties.form_engagement: the scoring templates give each level its
// points (docs/scoring.md), so form signals feed the engagement dimension.
const (
	LevelHigh   = "high"
	LevelMedium = "medium"
	LevelLow    = "low"
	LevelBot    = "bot"
)

// Bot suspicion thresholds: a certifier's score this high, a form filled
// this fast, or this many leads from one device in five minutes.
const (
	botScoreCutoff = 0.8
	botSeconds     = 3
	botDeviceLeads = 5
)

// BotSuspected reports whether the form looks filled by a program.
func BotSuspected(f *rapport.FormSignals) bool {
	return f.BotScore >= botScoreCutoff || (f.Seconds > 0 && f.Seconds < botSeconds) || f.DeviceLeads5m >= botDeviceLeads
}

// FormEngagement scores how engaged the consumer was with the form,
// 0-100, and its level. It multiplies factors, each 1 for the engaged
// case: time on the form (a form takes a person half a minute to a few
// minutes; faster is a script or a paste, much slower was abandoned and
// resumed), how fields were filled (typed beats autofill beats paste,
// which is how lists are replayed), who completed it (an agent finishing
// the form means the consumer did not), other leads from the same device
// in five minutes (a lead farm), and the certifier's bot score. Missing
// signals count as neutral (0.8), not as bad.
func FormEngagement(f *rapport.FormSignals) (float64, string) {
	score := 100 * secondsFactor(f.Seconds) * inputFactor(f.Input) * completedFactor(f.CompletedBy) *
		deviceFactor(f.DeviceLeads5m) * (1 - f.BotScore)
	score = math.Round(score*10) / 10
	switch {
	case BotSuspected(f):
		return score, LevelBot
	case score >= 60:
		return score, LevelHigh
	case score >= 30:
		return score, LevelMedium
	}
	return score, LevelLow
}

func secondsFactor(s float64) float64 {
	switch {
	case s == 0:
		return 0.8
	case s < 8:
		return 0.2
	case s < 20:
		return 0.6
	case s <= 900:
		return 1
	case s <= 3600:
		return 0.8
	}
	return 0.6
}

func inputFactor(input string) float64 {
	switch input {
	case "typed":
		return 1
	case "mixed":
		return 0.9
	case "autofilled":
		return 0.75
	case "pasted":
		return 0.4
	}
	return 0.8
}

func completedFactor(by string) float64 {
	switch by {
	case "consumer":
		return 1
	case "agent":
		return 0.6
	}
	return 0.8
}

func deviceFactor(n int) float64 {
	switch {
	case n == 0:
		return 1
	case n == 1:
		return 0.8
	case n <= 3:
		return 0.5
	}
	return 0.1
}

package lead

import (
	"math"
	"time"

	"github.com/rapportdev/rapport"
)

// Prior estimates P(convert) before any model is trained, from what the
// industry knows about bought leads rather than from this buyer's data:
// a base rate, less for an older lead (a lead called within minutes
// converts several times more often than one called after hours), less
// when shared with competitors who call the same person, more for an
// engaged form, nothing for a bot, and more for a person who has
// inquired before (a repeat inquiry is intent). Each factor is 1 for a
// fresh, exclusive, engaged first inquiry.
type Prior struct {
	// BaseRate is P(convert) of a fresh, exclusive, engaged lead; 0.1 when
	// zero.
	BaseRate float64
	// AgeHalfLife is the age at which the age factor has lost half of what
	// it can lose; 1 hour when zero.
	AgeHalfLife time.Duration
	// VendorRates, when set, are vendors' observed conversion rates
	// (smoothed toward BaseRate by whoever measured them), which replace
	// BaseRate for their leads.
	VendorRates map[string]float64
}

// Probability implements Estimator, at the lead's age when received.
func (p Prior) Probability(l *rapport.Lead, v *rapport.Vendor) float64 {
	base := p.BaseRate
	if base <= 0 {
		base = 0.1
	}
	if r, ok := p.VendorRates[l.VendorID]; ok {
		base = r
	}
	half := p.AgeHalfLife
	if half <= 0 {
		half = time.Hour
	}
	age := max(l.ReceivedAt.Sub(l.SubmittedAt), 0)
	ageF := 0.3 + 0.7*math.Exp2(-age.Hours()/half.Hours())
	shareF := 1.0
	if v != nil && !v.Exclusive {
		shareF = 1 / (1 + 0.4*float64(max(v.SharedWith, 1)))
	}
	engF := 0.3 + 0.7*l.Engagement/100
	if l.EngagementLevel == LevelBot {
		engF = 0
	}
	repeatF := 1 + 0.3*float64(min(max(l.Inquiry-1, 0), 3))
	return math.Min(base*ageF*shareF*engF*repeatF, 0.95)
}

// Name implements Estimator.
func (Prior) Name() string { return "prior" }

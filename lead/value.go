package lead

import (
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/rapportdev/rapport"
)

// Tiers route a lead.
const (
	// TierHot leads are worked first and watched by the SLA.
	TierHot  = "hot"
	TierWarm = "warm"
	TierCold = "cold"
	// TierReview leads look filled by a bot: a person checks them first.
	TierReview = "review"
	// TierHold leads may not be contacted (no valid consent).
	TierHold = "hold"
)

// Pricing says what a customer is worth and what working a lead costs.
type Pricing struct {
	// CustomerValue is the value of a converted lead: the margin a
	// customer brings over their lifetime. ValueBy overrides it by an
	// answer: {"product": {"home": 1400, "auto": 600}}.
	CustomerValue float64                       `json:"customerValue"`
	ValueBy       map[string]map[string]float64 `json:"valueBy,omitempty"`
	// CostToWork is what working one lead costs (agent time, calls).
	CostToWork float64 `json:"costToWork"`
	// Margin is the share of a lead's worth the buyer keeps: the
	// recommended maximum price is worth × (1 − Margin).
	Margin float64 `json:"margin"`
	// HotProbability and WarmProbability are the conversion
	// probabilities from which a lead is hot or warm.
	HotProbability  float64 `json:"hotProbability"`
	WarmProbability float64 `json:"warmProbability"`
}

// DefaultPricing is used where rapport.yaml sets nothing. With the prior,
// a fresh, exclusive, engaged first inquiry (P ≈ 0.1) is hot; shared with
// three others or hours old, warm.
func DefaultPricing() Pricing {
	return Pricing{CustomerValue: 1000, CostToWork: 15, Margin: 0.2, HotProbability: 0.08, WarmProbability: 0.03}
}

// Validate reports the first setting out of range.
func (p Pricing) Validate() error {
	switch {
	case !finiteNonNeg(p.CustomerValue):
		return fmt.Errorf("customer_value: must be a finite amount, not negative")
	case !finiteNonNeg(p.CostToWork):
		return fmt.Errorf("cost_to_work: must be a finite amount, not negative")
	case !(p.Margin >= 0 && p.Margin < 1):
		return fmt.Errorf("margin: must be from 0 to below 1")
	case !(p.WarmProbability >= 0 && p.WarmProbability <= p.HotProbability && p.HotProbability <= 1):
		return fmt.Errorf("hot_probability and warm_probability: want 0 ≤ warm ≤ hot ≤ 1")
	}
	for key, values := range p.ValueBy {
		for answer, v := range values {
			if !finiteNonNeg(v) {
				return fmt.Errorf("value_by.%s.%s: must be a finite amount, not negative", key, answer)
			}
		}
	}
	return nil
}

func finiteNonNeg(f float64) bool { return f >= 0 && !math.IsInf(f, 0) && !math.IsNaN(f) }

// Value returns what the lead is worth: P(convert) × the value of a
// customer − the cost to work it, and the recommended maximum price. A
// lead that may not be contacted is worth nothing: it cannot be worked.
// known, when above zero, is the person's lifetime value where Rapport
// already knows it; it replaces the configured value.
func (p Pricing) Value(e Estimator, l *rapport.Lead, v *rapport.Vendor, known float64) rapport.LeadValue {
	val := rapport.LeadValue{CustomerValue: p.customerValue(l, known), CostToWork: p.CostToWork, Model: e.Name()}
	if !l.Contactable {
		return val
	}
	val.Probability = round4(e.Probability(l, v))
	val.Expected = round2(val.Probability*val.CustomerValue - val.CostToWork)
	val.MaxPrice = round2(math.Max(0, val.Expected*(1-p.Margin)))
	return val
}

func (p Pricing) customerValue(l *rapport.Lead, known float64) float64 {
	if known > 0 {
		return known
	}
	// In key order, so a lead two keys price is priced the same each time.
	for _, key := range slices.Sorted(maps.Keys(p.ValueBy)) {
		if s, ok := l.Answers[key].(string); ok {
			if v, ok := p.ValueBy[key][s]; ok {
				return v
			}
		}
	}
	return p.CustomerValue
}

// Tier routes a lead by its consent, bot suspicion and probability.
func (p Pricing) Tier(l *rapport.Lead) string {
	switch {
	case !l.Contactable:
		return TierHold
	case l.EngagementLevel == LevelBot:
		return TierReview
	case l.Value.Probability >= p.HotProbability:
		return TierHot
	case l.Value.Probability >= p.WarmProbability:
		return TierWarm
	}
	return TierCold
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }
func round4(f float64) float64 { return math.Round(f*1e4) / 1e4 }

package clv

import (
	"fmt"
	"math"
)

// Horizon says how far ahead, and how, Value counts a customer's worth.
type Horizon struct {
	// Periods is the number of periods ahead.
	Periods int `json:"periods"`
	// DiscountRate is the rate per period that discounts future money,
	// e.g. 0.0019 a week for about 10% a year. Zero does not discount.
	DiscountRate float64 `json:"discount_rate"`
	// Margin is the share of spend kept as profit, from 0 to 1; 1 values
	// revenue.
	Margin float64 `json:"margin"`
}

// Validate checks the horizon's fields.
func (h Horizon) Validate() error {
	if h.Periods < 0 {
		return fmt.Errorf("horizon: periods = %d, want 0 or more", h.Periods)
	}
	if !(h.DiscountRate >= 0) || math.IsInf(h.DiscountRate, 0) {
		return fmt.Errorf("horizon: discount rate = %v, want a finite rate of 0 or more", h.DiscountRate)
	}
	if !(h.Margin >= 0 && h.Margin <= 1) {
		return fmt.Errorf("horizon: margin = %v, want a share from 0 to 1", h.Margin)
	}
	return nil
}

// Value is the customer's expected discounted profit over the horizon:
//
//	Margin × ExpectedSpend × Σ_{k=1..Periods} (E[Y(k)] − E[Y(k−1)]) / (1+DiscountRate)^k
//
// where E[Y(k)] is the BG/NBD's expected number of purchases in the k
// periods after T. It simplifies in two ways, as common practice does: the
// purchases expected in a period are discounted as if made at its end, and
// every purchase is worth the Gamma-Gamma expected spend, independent of how
// many are made (the model's own assumption). It is not the continuous-time
// discounted expected residual lifetime of "RFM and CLV", which needs no
// horizon but a confluent hypergeometric function of the second kind.
//
// It fails on invalid parameters, customer or horizon, and when q <= 1: the
// mean spend is then infinite.
func Value(bg BGNBD, gg GammaGamma, c Customer, h Horizon) (float64, error) {
	if err := bg.Validate(); err != nil {
		return 0, fmt.Errorf("value: %w", err)
	}
	if err := gg.Validate(); err != nil {
		return 0, fmt.Errorf("value: %w", err)
	}
	if err := h.Validate(); err != nil {
		return 0, fmt.Errorf("value: %w", err)
	}
	if gg.Q <= 1 {
		return 0, fmt.Errorf("value: gamma-gamma q = %v: the mean spend is infinite unless q > 1", gg.Q)
	}
	if err := c.check(); err != nil {
		return 0, fmt.Errorf("value: %w", err)
	}
	purchases, prev, discount := 0.0, 0.0, 1.0
	for k := 1; k <= h.Periods; k++ {
		cum := bg.ExpectedPurchases(c, float64(k))
		discount /= 1 + h.DiscountRate
		purchases += (cum - prev) * discount
		prev = cum
	}
	return h.Margin * gg.ExpectedSpend(c) * purchases, nil
}

package segment

import (
	"math"
	"slices"
	"time"

	"github.com/rapportdev/rapport"
)

// RFM is a customer's recency, frequency and monetary scores, each 1 to 5
// (5 is best: the most recent, the most frequent, the biggest spender),
// and the named group they put the customer in. The zero value means not
// scored: not a customer, or no population to compare with.
type RFM struct {
	R     int    `expr:"r" json:"r"`
	F     int    `expr:"f" json:"f"`
	M     int    `expr:"m" json:"m"`
	Group string `expr:"group" json:"group"`
}

// RFMValues are one customer's raw measures.
type RFMValues struct {
	RecencyDays float64 `json:"recencyDays"` // days since the last order
	Frequency   float64 `json:"frequency"`   // orders
	Monetary    float64 `json:"monetary"`    // revenue
}

// RFMValuesOf returns the measures of profile p as of now, and false when
// p has no order (not a customer: not part of the RFM population).
func RFMValuesOf(p *rapport.Profile, now time.Time) (RFMValues, bool) {
	a := &p.Aggregates
	if a.Orders < 1 {
		return RFMValues{}, false
	}
	return RFMValues{
		RecencyDays: daysSince(a.LastOrderAt, now),
		Frequency:   float64(a.Orders),
		Monetary:    a.Revenue,
	}, true
}

// RFMScale holds the quintile boundaries of a population of customers:
// for each measure, the values at or below which 20%, 40%, 60% and 80% of
// the customers fall (nearest rank). It is small and JSON-serialisable, so
// that it can be computed in a batch job over all customers and then
// score each customer as their measures change.
type RFMScale struct {
	Customers int        `json:"customers"`
	Recency   [4]float64 `json:"recency"`
	Frequency [4]float64 `json:"frequency"`
	Monetary  [4]float64 `json:"monetary"`
}

// NewRFMScale computes the quintile boundaries of a population. NaN
// measures are left out.
func NewRFMScale(values []RFMValues) RFMScale {
	col := make([]float64, 0, len(values))
	measure := func(get func(RFMValues) float64) [4]float64 {
		col = col[:0]
		for _, v := range values {
			if x := get(v); !math.IsNaN(x) {
				col = append(col, x)
			}
		}
		return quintiles(col)
	}
	return RFMScale{
		Customers: len(values),
		Recency:   measure(func(v RFMValues) float64 { return v.RecencyDays }),
		Frequency: measure(func(v RFMValues) float64 { return v.Frequency }),
		Monetary:  measure(func(v RFMValues) float64 { return v.Monetary }),
	}
}

// quintiles sorts col and returns its nearest-rank 20th, 40th, 60th and
// 80th percentiles: for k in 1..4, the value at sorted position
// ceil(k*n/5), counted from 1.
func quintiles(col []float64) [4]float64 {
	var q [4]float64
	if len(col) == 0 {
		return q
	}
	slices.Sort(col)
	n := len(col)
	for k := 1; k <= 4; k++ {
		rank := (k*n + 4) / 5 // ceil(k*n/5), at least 1 for n >= 1
		q[k-1] = col[rank-1]
	}
	return q
}

// Score returns the scores and group of a customer's measures. A value
// scores the quintile it falls in: frequency and monetary score 1 plus the
// number of boundaries they exceed, recency 5 minus that number (fewer days
// is better). Customers with equal values always score the same; a value
// shared by more than a fifth of the population takes the first quintile
// it covers (one-time buyers score F 1; the most common recency scores
// the highest R it covers). An empty scale scores nothing.
func (s RFMScale) Score(v RFMValues) RFM {
	if s.Customers == 0 {
		return RFM{}
	}
	r := 5 - above(v.RecencyDays, s.Recency)
	f := 1 + above(v.Frequency, s.Frequency)
	m := 1 + above(v.Monetary, s.Monetary)
	return RFM{R: r, F: f, M: m, Group: RFMGroup(r, f, m)}
}

// above counts the boundaries v exceeds.
func above(v float64, q [4]float64) int {
	n := 0
	for _, b := range q {
		if v > b {
			n++
		}
	}
	return n
}

// RFM groups, as commonly named.
const (
	Champions          = "champions"
	LoyalCustomers     = "loyal_customers"
	PotentialLoyalists = "potential_loyalists"
	NewCustomers       = "new_customers"
	Promising          = "promising"
	NeedAttention      = "need_attention"
	AboutToSleep       = "about_to_sleep"
	AtRisk             = "at_risk"
	CantLoseThem       = "cant_lose_them"
	Hibernating        = "hibernating"
	Lost               = "lost"
)

// rfmGroups maps R (rows, 5 down to 1) and FM, the mean of F and M
// rounded half up (columns, 1 to 5), to a group. It follows the usual
// segment map (Putler's eleven groups), made non-overlapping:
//
//	R \ FM  1               2                    3                4                5
//	5       new_customers   potential_loyalists  loyal_customers  champions        champions
//	4       promising       potential_loyalists  loyal_customers  champions        champions
//	3       about_to_sleep  need_attention       need_attention   loyal_customers  loyal_customers
//	2       hibernating     about_to_sleep       at_risk          at_risk          at_risk
//	1       lost            hibernating          at_risk          cant_lose_them   cant_lose_them
//
// Recent buyers are told apart by how much they buy (new, promising,
// potential loyalists, loyal, champions); lapsing ones by how much they
// are worth (about to sleep, hibernating, lost for small spenders; at
// risk and can't lose them for big ones).
var rfmGroups = [5][5]string{
	{Lost, Hibernating, AtRisk, CantLoseThem, CantLoseThem},                      // R 1
	{Hibernating, AboutToSleep, AtRisk, AtRisk, AtRisk},                          // R 2
	{AboutToSleep, NeedAttention, NeedAttention, LoyalCustomers, LoyalCustomers}, // R 3
	{Promising, PotentialLoyalists, LoyalCustomers, Champions, Champions},        // R 4
	{NewCustomers, PotentialLoyalists, LoyalCustomers, Champions, Champions},     // R 5
}

// RFMGroup returns the group of scores r, f and m (each 1 to 5), or "" when
// one is out of range.
func RFMGroup(r, f, m int) string {
	if r < 1 || r > 5 || f < 1 || f > 5 || m < 1 || m > 5 {
		return ""
	}
	fm := (f + m + 1) / 2
	return rfmGroups[r-1][fm-1]
}

package lead

import (
	"cmp"
	"slices"

	"github.com/rapportdev/rapport"
)

// PriceAdvice is the recommended maximum price for a vendor's leads of
// one segment, from the leads bought: what they were worth against what
// was paid.
type PriceAdvice struct {
	VendorID string `json:"vendorId"`
	// Segment is the value of the answer (or the tier) the leads are cut
	// by; "" when the leads lack it.
	Segment          string  `json:"segment"`
	Leads            int     `json:"leads"`
	MeanPricePaid    float64 `json:"meanPricePaid"`
	MeanProbability  float64 `json:"meanProbability"`
	MeanExpected     float64 `json:"meanExpectedValue"`
	RecommendedPrice float64 `json:"recommendedMaxPrice"`
	// Overpaid is the share of leads bought above their own maximum
	// price; ProfitPerLead the mean of expected value − price.
	Overpaid      float64 `json:"overpaid"`
	ProfitPerLead float64 `json:"profitPerLead"`
}

// Prices recommends a maximum price per vendor and segment: the median of
// the leads' own maximum prices, so half of such leads were worth at
// least that. by is an answer key, or "tier".
func Prices(leads []rapport.Lead, by string) []PriceAdvice {
	type acc struct {
		a                    PriceAdvice
		maxes                []float64
		over                 int
		paid, p, exp, profit float64
	}
	groups := map[[2]string]*acc{}
	for i := range leads {
		l := &leads[i]
		seg := l.Tier
		if by != "tier" {
			seg = answerText(l.Answers[by])
		}
		k := [2]string{l.VendorID, seg}
		g := groups[k]
		if g == nil {
			g = &acc{a: PriceAdvice{VendorID: k[0], Segment: k[1]}}
			groups[k] = g
		}
		g.a.Leads++
		g.maxes = append(g.maxes, l.Value.MaxPrice)
		count(&g.over, l.Price > l.Value.MaxPrice)
		g.paid += l.Price
		g.p += l.Value.Probability
		g.exp += l.Value.Expected
		g.profit += l.Value.Expected - l.Price
	}
	out := make([]PriceAdvice, 0, len(groups))
	for _, g := range groups {
		a, n := g.a, float64(g.a.Leads)
		a.MeanPricePaid, a.MeanProbability, a.MeanExpected = round2(g.paid/n), round4(g.p/n), round2(g.exp/n)
		a.RecommendedPrice, a.Overpaid, a.ProfitPerLead = round2(quantile(g.maxes, 0.5)), ratio(float64(g.over), n), round2(g.profit/n)
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b PriceAdvice) int {
		return cmp.Or(cmp.Compare(a.VendorID, b.VendorID), cmp.Compare(a.Segment, b.Segment))
	})
	return out
}

package lead

import (
	"cmp"
	"slices"
	"time"

	"github.com/rapportdev/rapport"
)

// Scorecard is what a vendor's leads did in one period (or in all, with
// Period ""): bought, reached, converted, at what cost and return.
type Scorecard struct {
	VendorID string `json:"vendorId"`
	// Period is the start of the period, by the leads' receipt: "2026-11"
	// for a month, "2026-W47" for a week, "2026-11-23" for a day.
	Period      string  `json:"period,omitempty"`
	Leads       int     `json:"leads"`
	Spend       float64 `json:"spend"`
	Contacted   int     `json:"contacted"`
	Conversions int     `json:"conversions"`
	Revenue     float64 `json:"revenue"`
	ContactRate float64 `json:"contactRate"`
	// ConversionRate is conversions per lead bought.
	ConversionRate float64 `json:"conversionRate"`
	// CostPerAcquisition is the spend per conversion (0 with none).
	CostPerAcquisition float64 `json:"costPerAcquisition"`
	// ROI is (revenue − spend − cost to work the leads) / (spend + that
	// cost).
	ROI float64 `json:"roi"`
	// DuplicateRate is the share of leads whose person had inquired
	// before (through any vendor).
	DuplicateRate float64 `json:"duplicateRate"`
	// MedianAgeAtDelivery is in seconds from the consumer's submission.
	MedianAgeAtDelivery float64 `json:"medianAgeAtDelivery"`
	// ConsentFailures is the share of leads without valid consent;
	// BotShare the share suspected to be bots.
	ConsentFailures float64 `json:"consentFailures"`
	BotShare        float64 `json:"botShare"`
	MeanEngagement  float64 `json:"meanEngagement"`
	MeanExpected    float64 `json:"meanExpectedValue"`
	MeanMaxPrice    float64 `json:"meanMaxPrice"`
	OverpaidShare   float64 `json:"overpaidShare"`
}

// Periods a scorecard can be cut by.
var periodFormats = map[string]func(time.Time) string{
	"":      func(time.Time) string { return "" },
	"month": func(t time.Time) string { return t.UTC().Format("2006-01") },
	"day":   func(t time.Time) string { return t.UTC().Format("2006-01-02") },
	"week": func(t time.Time) string {
		y, w := t.UTC().ISOWeek()
		return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006") + "-W" + twoDigits(w)
	},
}

// ValidPeriod reports whether period is "", day, week or month.
func ValidPeriod(period string) bool { _, ok := periodFormats[period]; return ok }

func twoDigits(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }

// Scorecards returns one scorecard per vendor and period, by vendor then
// period. costToWork is what working one lead costs.
func Scorecards(leads []rapport.Lead, period string, costToWork float64) []Scorecard {
	label := periodFormats[period]
	if label == nil {
		label = periodFormats[""]
	}
	type acc struct {
		s                              Scorecard
		ages                           []float64
		consentBad, bots, dups, over   int
		engagement, expected, maxPrice float64
	}
	groups := map[[2]string]*acc{}
	for i := range leads {
		l := &leads[i]
		k := [2]string{l.VendorID, label(l.ReceivedAt)}
		a := groups[k]
		if a == nil {
			a = &acc{s: Scorecard{VendorID: k[0], Period: k[1]}}
			groups[k] = a
		}
		a.s.Leads++
		a.s.Spend += l.Price
		count(&a.s.Contacted, !l.FirstContactAt.IsZero())
		count(&a.s.Conversions, !l.ConvertedAt.IsZero())
		a.s.Revenue += l.ConvertedValue
		a.ages = append(a.ages, l.ReceivedAt.Sub(l.SubmittedAt).Seconds())
		count(&a.consentBad, !l.Contactable)
		count(&a.bots, l.EngagementLevel == LevelBot)
		count(&a.dups, l.Inquiry > 1)
		count(&a.over, l.Contactable && l.Price > l.Value.MaxPrice)
		a.engagement += l.Engagement
		a.expected += l.Value.Expected
		a.maxPrice += l.Value.MaxPrice
	}
	out := make([]Scorecard, 0, len(groups))
	for _, a := range groups {
		s, n := a.s, float64(a.s.Leads)
		s.Spend, s.Revenue = round2(s.Spend), round2(s.Revenue)
		s.ContactRate, s.ConversionRate = ratio(float64(s.Contacted), n), ratio(float64(s.Conversions), n)
		s.CostPerAcquisition = round2(ratio(s.Spend, float64(s.Conversions)))
		cost := s.Spend + costToWork*n
		s.ROI = ratio(s.Revenue-cost, cost)
		s.DuplicateRate, s.MedianAgeAtDelivery = ratio(float64(a.dups), n), seconds(time.Duration(quantile(a.ages, 0.5)*float64(time.Second)))
		s.ConsentFailures, s.BotShare = ratio(float64(a.consentBad), n), ratio(float64(a.bots), n)
		s.MeanEngagement, s.MeanExpected = round2(a.engagement/n), round2(a.expected/n)
		s.MeanMaxPrice, s.OverpaidShare = round2(a.maxPrice/n), ratio(float64(a.over), n)
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b Scorecard) int {
		return cmp.Or(cmp.Compare(a.VendorID, b.VendorID), cmp.Compare(a.Period, b.Period))
	})
	return out
}

func count(n *int, cond bool) {
	if cond {
		*n++
	}
}

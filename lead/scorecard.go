package lead

import (
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
	// CostPerAcquisition is the net spend per conversion (0 with none).
	CostPerAcquisition float64 `json:"costPerAcquisition"`
	// ROI is (revenue − net spend − cost to work the leads) / (net spend
	// + that cost).
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
	// Returns are the leads given back to the vendor, ReturnRate their
	// share and Credits what they earned; NetSpend is Spend less Credits,
	// what cost per acquisition and ROI are counted from.
	Returns    int     `json:"returns"`
	ReturnRate float64 `json:"returnRate"`
	Credits    float64 `json:"credits"`
	NetSpend   float64 `json:"netSpend"`
	// OverCap are the leads accepted over the vendor's cap without payment.
	OverCap int `json:"overCap"`
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
// period, from leads in memory; a store's report adds them up in SQL
// (rapport.LeadTotals) and finishes them with RollUp and ScorecardOf,
// which this shares. costToWork is what working one lead costs.
func Scorecards(leads []rapport.Lead, period string, costToWork float64) []Scorecard {
	days := map[[2]string]*rapport.LeadTotals{}
	ages := map[[2]string][]float64{}
	var order []rapport.LeadTotals
	for i := range leads {
		l := &leads[i]
		t := TotalsOf(l)
		k := [2]string{l.VendorID, t.Day.Format(time.DateOnly)}
		if days[k] == nil {
			days[k] = &rapport.LeadTotals{VendorID: l.VendorID, Day: t.Day}
		}
		Add(days[k], &t)
		pk := [2]string{l.VendorID, Start(period, t.Day).Format(time.DateOnly)}
		ages[pk] = append(ages[pk], l.ReceivedAt.Sub(l.SubmittedAt).Seconds())
	}
	for _, t := range days {
		order = append(order, *t)
	}
	groups := RollUp(order, period)
	out := make([]Scorecard, len(groups))
	for i, g := range groups {
		median := quantile(ages[[2]string{g.VendorID, g.Start.Format(time.DateOnly)}], 0.5)
		out[i] = ScorecardOf(g, median, costToWork)
	}
	return out
}

// ScorecardOf finishes the scorecard of one vendor and period from its
// totals and the median age at delivery, in seconds.
func ScorecardOf(g PeriodTotals, medianAge, costToWork float64) Scorecard {
	n := float64(g.Leads)
	s := Scorecard{VendorID: g.VendorID, Period: g.Period, Leads: g.Leads, Spend: round2(g.Spend), Contacted: g.Contacted,
		Conversions: g.Conversions, Revenue: round2(g.Revenue), Returns: g.Returns, Credits: round2(g.Credits),
		OverCap: g.OverCap}
	s.NetSpend = round2(g.Spend - g.Credits)
	s.ContactRate, s.ConversionRate = ratio(float64(s.Contacted), n), ratio(float64(s.Conversions), n)
	s.CostPerAcquisition = round2(ratio(s.NetSpend, float64(s.Conversions)))
	cost := s.NetSpend + costToWork*n
	s.ROI = ratio(s.Revenue-cost, cost)
	s.DuplicateRate = ratio(float64(g.Duplicates), n)
	s.MedianAgeAtDelivery = seconds(time.Duration(medianAge * float64(time.Second)))
	s.ConsentFailures, s.BotShare = ratio(float64(g.ConsentFailures), n), ratio(float64(g.Bots), n)
	s.ReturnRate = ratio(float64(g.Returns), n)
	if n > 0 {
		s.MeanEngagement, s.MeanExpected, s.MeanMaxPrice = round2(g.Engagement/n), round2(g.Expected/n), round2(g.MaxPrice/n)
	}
	s.OverpaidShare = ratio(float64(g.Overpaid), n)
	return s
}

// TotalsOf returns one lead's contribution to its vendor's day, as a
// store adds them up.
func TotalsOf(l *rapport.Lead) rapport.LeadTotals {
	t := rapport.LeadTotals{VendorID: l.VendorID, Day: l.ReceivedAt.UTC().Truncate(24 * time.Hour), Leads: 1,
		Spend: l.Price, Revenue: l.ConvertedValue, Credits: l.Credit, Engagement: l.Engagement,
		Expected: l.Value.Expected, MaxPrice: l.Value.MaxPrice}
	count(&t.Contacted, !l.FirstContactAt.IsZero())
	count(&t.Conversions, !l.ConvertedAt.IsZero())
	count(&t.ConsentFailures, !l.Contactable)
	count(&t.Bots, l.EngagementLevel == LevelBot)
	count(&t.Duplicates, l.Inquiry > 1)
	count(&t.Overpaid, l.Contactable && l.Price > l.Value.MaxPrice)
	count(&t.OverCap, l.OverCap)
	count(&t.Returns, !l.ReturnedAt.IsZero())
	return t
}

func count(n *int, cond bool) {
	if cond {
		*n++
	}
}

package offer_test

import (
	"math"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/offer"
)

// monday is Monday 2 March 2026, 00:00 UTC.
var monday = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

func TestFunnelSpan(t *testing.T) {
	wed := monday.Add(2*24*time.Hour + 15*time.Hour)
	tests := []struct {
		name     string
		period   string
		from, to time.Time
		wantFrom time.Time
		wantTo   time.Time
		wantErr  string
	}{
		{"days widen to midnight", offer.PeriodDay, wed, wed.Add(time.Hour), monday.Add(48 * time.Hour), monday.Add(72 * time.Hour), ""},
		{"whole days stay", offer.PeriodDay, monday, monday.Add(48 * time.Hour), monday, monday.Add(48 * time.Hour), ""},
		{"weeks start on Monday", offer.PeriodWeek, wed, wed.Add(8 * 24 * time.Hour), monday, monday.Add(14 * 24 * time.Hour), ""},
		{"a Sunday is in the week before", offer.PeriodWeek, monday.Add(-time.Hour), monday.Add(time.Hour),
			monday.Add(-7 * 24 * time.Hour), monday.Add(7 * 24 * time.Hour), ""},
		{"unknown period", "month", monday, wed, time.Time{}, time.Time{}, `period "month": want day or week`},
		{"empty range", offer.PeriodDay, wed, wed, time.Time{}, time.Time{}, "to: must be after from"},
		{"too many days", offer.PeriodDay, monday, monday.AddDate(2, 0, 0), time.Time{}, time.Time{}, "from, to: 731 days, at most 520"},
	}
	for _, tt := range tests {
		s, err := offer.NewFunnelSpan(tt.period, tt.from, tt.to)
		if tt.wantErr != "" {
			if rapport.ErrorCode(err) != rapport.EINVALID || rapport.ErrorMessage(err) != tt.wantErr {
				t.Errorf("%s: error %v, want invalid %q", tt.name, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !s.From.Equal(tt.wantFrom) || !s.To.Equal(tt.wantTo) {
			t.Errorf("%s: span %s to %s, %v; want %s to %s", tt.name, s.From, s.To, err, tt.wantFrom, tt.wantTo)
		}
	}
}

// TestFunnel lays counts over three weekly periods, worked by hand: the
// second week has nobody (zeros), the third only activity, which has no
// next stage.
func TestFunnel(t *testing.T) {
	span, err := offer.NewFunnelSpan(offer.PeriodWeek, monday, monday.Add(21*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	week := func(k int) time.Time { return monday.Add(time.Duration(k) * 7 * 24 * time.Hour) }
	f := offer.NewFunnel(span, []rapport.FunnelCount{
		{Start: week(0), Stage: rapport.StageAcquisition, Shown: 10, Accepted: 5, Entered: 4, Advanced: 1},
		{Start: week(0), Stage: rapport.StageActivation, Shown: 3, Accepted: 2, Entered: 2, Advanced: 2},
		{Start: week(2), Stage: rapport.StageAcquisition, Shown: 2, Accepted: 1, Entered: 1, Advanced: 0},
		{Start: week(2), Stage: rapport.StageActivity, Shown: 6, Accepted: 3, Entered: 3, Advanced: 5},
		// Outside the span: left out.
		{Start: week(3), Stage: rapport.StageAcquisition, Entered: 100, Advanced: 100},
	})
	// Wilson 95% intervals: 1 of 4 is [0.0456, 0.6994], 2 of 2 is
	// [0.3424, 1], 0 of 1 is [0, 0.7935], 1 of 5 is [0.0362, 0.6245],
	// 2 of 2 again for activation → activity.
	tests := []struct {
		period, stage             int
		shown, accepted, entered  int64
		advanced                  int64
		conversion, ciLow, ciHigh float64
	}{
		{0, 0, 10, 5, 4, 1, 0.25, 0.0456, 0.6994},
		{0, 1, 3, 2, 2, 2, 1, 0.3424, 1},
		{0, 2, 0, 0, 0, 0, 0, 0, 0},
		{1, 0, 0, 0, 0, 0, 0, 0, 1},
		{1, 1, 0, 0, 0, 0, 0, 0, 1},
		{2, 0, 2, 1, 1, 0, 0, 0, 0.7935},
		// Activity is the last stage: nothing to advance to.
		{2, 2, 6, 3, 3, 0, 0, 0, 0},
	}
	if len(f.Periods) != 3 || !f.Periods[2].End.Equal(week(3)) {
		t.Fatalf("periods %+v, want three weeks", f.Periods)
	}
	for _, tt := range tests {
		st := f.Periods[tt.period].Stages[tt.stage]
		if st.Shown != tt.shown || st.Accepted != tt.accepted || st.Entered != tt.entered || st.Advanced != tt.advanced ||
			!near(st.Conversion, tt.conversion) || !near(st.ConversionCI.Low, tt.ciLow) || !near(st.ConversionCI.High, tt.ciHigh) {
			t.Errorf("week %d, %s: %+v; want shown %d accepted %d entered %d advanced %d, conversion %v [%v, %v]",
				tt.period, st.Stage, st, tt.shown, tt.accepted, tt.entered, tt.advanced, tt.conversion, tt.ciLow, tt.ciHigh)
		}
	}
	want := []offer.StageConversion{
		{From: rapport.StageAcquisition, To: rapport.StageActivation, Entered: 5, Advanced: 1, Rate: 0.2,
			CI: offer.Interval{Low: 0.0362, High: 0.6245}},
		{From: rapport.StageActivation, To: rapport.StageActivity, Entered: 2, Advanced: 2, Rate: 1,
			CI: offer.Interval{Low: 0.3424, High: 1}},
	}
	for i, w := range want {
		g := f.Conversions[i]
		if g.From != w.From || g.To != w.To || g.Entered != w.Entered || g.Advanced != w.Advanced || !near(g.Rate, w.Rate) ||
			!near(g.CI.Low, w.CI.Low) || !near(g.CI.High, w.CI.High) {
			t.Errorf("conversion %d: %+v, want %+v", i, g, w)
		}
	}
}

// near compares to the four decimals the expectations were worked to.
func near(a, b float64) bool { return math.Abs(a-b) < 0.00005 }

package offer

import (
	"time"

	"github.com/rapportdev/rapport"
)

// Funnel periods.
const (
	PeriodDay  = "day"
	PeriodWeek = "week"
)

// MaxFunnelPeriods bounds the periods of one funnel: more than a year of
// days, ten years of weeks.
const MaxFunnelPeriods = 520

// FunnelSpan is the whole periods a funnel covers: UTC days, or weeks
// from Monday 00:00 UTC.
type FunnelSpan struct {
	Period   string
	From, To time.Time
	Length   time.Duration
}

// NewFunnelSpan widens [from, to) to whole periods. EINVALID naming the
// parameter for an unknown period, a range that is empty or longer than
// MaxFunnelPeriods.
func NewFunnelSpan(period string, from, to time.Time) (FunnelSpan, error) {
	s := FunnelSpan{Period: period}
	switch period {
	case PeriodDay:
		s.Length = 24 * time.Hour
	case PeriodWeek:
		s.Length = 7 * 24 * time.Hour
	default:
		return s, rapport.Errorf(rapport.EINVALID, "period %q: want day or week", period)
	}
	if !to.After(from) {
		return s, rapport.Errorf(rapport.EINVALID, "to: must be after from")
	}
	s.From = periodStart(period, from)
	s.To = periodStart(period, to)
	if s.To.Before(to) {
		s.To = s.To.Add(s.Length)
	}
	if n := s.To.Sub(s.From) / s.Length; n > MaxFunnelPeriods {
		return s, rapport.Errorf(rapport.EINVALID, "from, to: %d %ss, at most %d", n, period, MaxFunnelPeriods)
	}
	return s, nil
}

// periodStart returns the start of the period t is in.
func periodStart(period string, t time.Time) time.Time {
	d := t.UTC().Truncate(24 * time.Hour)
	if period == PeriodWeek {
		d = d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
	}
	return d
}

// Query is the store query for the span, over offers of the given stages.
func (s FunnelSpan) Query(stages map[string]string) rapport.FunnelQuery {
	return rapport.FunnelQuery{Stages: stages, From: s.From, To: s.To, Origin: s.From, Length: s.Length}
}

// FunnelStage is one stage in one period (docs/offers.md#the-funnel).
type FunnelStage struct {
	Stage string `json:"stage"`
	// Shown and Accepted count the people shown, and accepting, an offer
	// of the stage in the period.
	Shown    int64 `json:"shown"`
	Accepted int64 `json:"accepted"`
	// Entered counts the people whose first accept of the stage is in
	// the period.
	Entered int64 `json:"entered"`
	// Next is the next stage, "" for the last; Advanced counts the people
	// of Entered who entered it since (by the funnel's end), Conversion is
	// Advanced / Entered with its 95% Wilson interval.
	Next         string   `json:"next,omitempty"`
	Advanced     int64    `json:"advanced"`
	Conversion   float64  `json:"conversion"`
	ConversionCI Interval `json:"conversionCI"`
}

// FunnelPeriod is every stage in one period, in the order of the stages.
type FunnelPeriod struct {
	Start  time.Time     `json:"start"`
	End    time.Time     `json:"end"`
	Stages []FunnelStage `json:"stages"`
}

// StageConversion is the conversion from one stage to the next over the
// whole funnel: of everyone who entered From in it, those who entered To
// since.
type StageConversion struct {
	From     string   `json:"from"`
	To       string   `json:"to"`
	Entered  int64    `json:"entered"`
	Advanced int64    `json:"advanced"`
	Rate     float64  `json:"rate"`
	CI       Interval `json:"ci"`
}

// Funnel is the acquisition → activation → activity funnel over time:
// every period of the span, each with every stage (zeros where nobody
// was), and the conversions over the whole span.
type Funnel struct {
	Period      string            `json:"period"`
	From        time.Time         `json:"from"`
	To          time.Time         `json:"to"`
	Periods     []FunnelPeriod    `json:"periods"`
	Conversions []StageConversion `json:"conversions"`
}

// NewFunnel lays the store's counts out over the span's periods and
// computes the conversions.
func NewFunnel(span FunnelSpan, counts []rapport.FunnelCount) Funnel {
	f := Funnel{Period: span.Period, From: span.From, To: span.To, Periods: []FunnelPeriod{}}
	index := map[time.Time]int{}
	for start := span.From; start.Before(span.To); start = start.Add(span.Length) {
		index[start] = len(f.Periods)
		p := FunnelPeriod{Start: start, End: start.Add(span.Length)}
		for _, st := range rapport.OfferStages {
			p.Stages = append(p.Stages, FunnelStage{Stage: st, Next: nextStage(st)})
		}
		f.Periods = append(f.Periods, p)
	}
	totals := make([]StageConversion, len(rapport.OfferStages)-1)
	for i := range totals {
		totals[i].From, totals[i].To = rapport.OfferStages[i], rapport.OfferStages[i+1]
	}
	for _, c := range counts {
		i, ok := index[c.Start.UTC()]
		j := rapport.StageIndex(c.Stage)
		if !ok || j < 0 {
			continue
		}
		st := &f.Periods[i].Stages[j]
		st.Shown, st.Accepted, st.Entered, st.Advanced = c.Shown, c.Accepted, c.Entered, c.Advanced
		if j < len(totals) {
			totals[j].Entered += c.Entered
			totals[j].Advanced += c.Advanced
		}
	}
	for i := range f.Periods {
		for j := range f.Periods[i].Stages {
			st := &f.Periods[i].Stages[j]
			if st.Next == "" {
				st.Advanced = 0
				continue
			}
			st.Conversion, st.ConversionCI = rate(st.Advanced, st.Entered)
		}
	}
	for i := range totals {
		totals[i].Rate, totals[i].CI = rate(totals[i].Advanced, totals[i].Entered)
	}
	f.Conversions = totals
	return f
}

// rate returns k/n with its 95% Wilson interval; 0 and [0, 1] for n = 0.
func rate(k, n int64) (float64, Interval) {
	if n <= 0 {
		return 0, wilson(0, 0)
	}
	k = min(k, n)
	return float64(k) / float64(n), wilson(k, n)
}

// nextStage returns the stage after st, "" for the last.
func nextStage(st string) string {
	if i := rapport.StageIndex(st); i >= 0 && i+1 < len(rapport.OfferStages) {
		return rapport.OfferStages[i+1]
	}
	return ""
}

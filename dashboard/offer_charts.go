package dashboard

import (
	"math"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/offer"
)

// intervalChart is a value per label with its 95% interval, in percent:
// static/charts.js draws the interval as a bar and the value as a
// mark on it.
type intervalChart struct {
	Kind   string    `json:"kind"` // "interval"
	Label  string    `json:"label"`
	Labels []string  `json:"labels"`
	Values []float64 `json:"values"`
	Lows   []float64 `json:"lows"`
	Highs  []float64 `json:"highs"`
}

// pct turns a share into a percentage with one decimal.
func pct(x float64) float64 { return math.Round(x*1000) / 10 }

// RateChart is the treatment group's accept rate per charted offer, with
// its interval.
func (v *offersView) RateChart() intervalChart {
	c := intervalChart{Kind: "interval", Label: "Accept rate (%)"}
	for _, r := range v.Charted {
		g := r.Treatment
		c.Labels = append(c.Labels, r.Title)
		c.Values, c.Lows, c.Highs = append(c.Values, pct(g.AcceptRate)), append(c.Lows, pct(g.AcceptCI.Low)), append(c.Highs, pct(g.AcceptCI.High))
	}
	return c
}

// LiftChart is the lift over the control group per charted offer, in
// percentage points, with its interval.
func (v *offersView) LiftChart() intervalChart {
	c := intervalChart{Kind: "interval", Label: "Lift over the control group (points)"}
	for _, r := range v.Charted {
		c.Labels = append(c.Labels, r.Title)
		c.Values, c.Lows, c.Highs = append(c.Values, pct(r.Lift.Absolute)), append(c.Lows, pct(r.Lift.CI.Low)), append(c.Highs, pct(r.Lift.CI.High))
	}
	return c
}

// EntryChart is the people entering each stage per period.
func (v *offersView) EntryChart() seriesChart {
	c := seriesChart{Kind: "series", Type: "bar", Labels: v.periodLabels(), Palette: "offers"}
	for j, st := range rapport.OfferStages {
		s := series{Label: "Entered " + st}
		for _, p := range v.Funnel.Periods {
			s.add(float64(p.Stages[j].Entered))
		}
		c.Series = append(c.Series, s)
	}
	return c
}

// ConversionChart is the conversion from each stage to the next per
// period, in percent; a gap where nobody entered the stage.
func (v *offersView) ConversionChart() seriesChart {
	c := seriesChart{Kind: "series", Type: "line", Labels: v.periodLabels(), Unit: "percent", Palette: "offers"}
	for j, st := range rapport.OfferStages[:len(rapport.OfferStages)-1] {
		s := series{Label: st + " → " + rapport.OfferStages[j+1]}
		for _, p := range v.Funnel.Periods {
			var c *float64 // nobody entered: no rate, rather than 0%
			if st := p.Stages[j]; st.Entered > 0 {
				x := pct(st.Conversion)
				c = &x
			}
			s.Values = append(s.Values, c)
		}
		c.Series = append(c.Series, s)
	}
	return c
}

// periodLabels names the funnel's periods by their first day.
func (v *offersView) periodLabels() []string {
	out := make([]string, len(v.Funnel.Periods))
	for i, p := range v.Funnel.Periods {
		out[i] = p.Start.Format(time.DateOnly)
	}
	return out
}

// funnelRow is one period of the funnel's table.
type funnelRow struct {
	// Label names the period: its first day, and its last for a week.
	Label  string
	Stages []offer.FunnelStage
}

// FunnelRows are the funnel's periods for the table, newest first.
func (v *offersView) FunnelRows() []funnelRow {
	out := make([]funnelRow, 0, len(v.Funnel.Periods))
	for i := len(v.Funnel.Periods) - 1; i >= 0; i-- {
		p := v.Funnel.Periods[i]
		label := p.Start.Format(time.DateOnly)
		if last := p.End.Add(-time.Nanosecond).UTC(); last.Sub(p.Start) >= 24*time.Hour {
			label += " to " + last.Format(time.DateOnly)
		}
		out = append(out, funnelRow{Label: label, Stages: p.Stages})
	}
	return out
}

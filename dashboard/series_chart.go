package dashboard

// seriesChart is several series of values over the same labels, a colour
// each: grouped or stacked bars, or lines. static/charts.js draws it
// (kind "series"); a table on the page holds the same numbers. The
// Offers page's funnel and the Vendors page's scorecards and
// distributions are all of this kind.
type seriesChart struct {
	Kind   string   `json:"kind"` // "series"
	Type   string   `json:"type"` // "bar" or "line"
	Labels []string `json:"labels"`
	Series []series `json:"series"`
	// Stacked stacks the bars of a label rather than grouping them.
	Stacked bool `json:"stacked,omitempty"`
	// Unit is "" for counts, "money" for amounts, "percent" for shares
	// in percent (an axis from 0 to 100).
	Unit string `json:"unit,omitempty"`
	// Palette is "offers" for the Offers page's colours (blue first), ""
	// for the other charts'.
	Palette string `json:"palette,omitempty"`
}

// series is one named row of values; nil is no value (a gap).
type series struct {
	Label  string     `json:"label"`
	Values []*float64 `json:"values"`
}

// add appends the value x.
func (s *series) add(x float64) { s.Values = append(s.Values, &x) }

package dashboard

import (
	"net/http"
	"time"

	"github.com/rapportdev/rapport/report"
)

// economicsView is the data of the economics page: the latest reports
// (nil while the first are being computed) and the RFM grid laid out.
type economicsView struct {
	R      *reports
	Grid   []rfmRow
	Groups []rfmGroup
}

// rfmRow is one recency score's row of the grid, frequency 1 to 5.
type rfmRow struct {
	Recency int
	Cells   []rfmCell
}

// rfmCell is one cell with its shade: 0 for none, 1 to 5 by its share of
// the fullest cell.
type rfmCell struct {
	report.RFMCell
	Heat int
}

// rfmGroup is a named RFM group with its name for people.
type rfmGroup struct {
	report.RFMGroup
	Label string
}

// rfmGroupLabels name the RFM groups for people.
var rfmGroupLabels = map[string]string{
	"champions": "Champions", "loyal_customers": "Loyal customers", "potential_loyalists": "Potential loyalists",
	"new_customers": "New customers", "promising": "Promising", "need_attention": "Need attention",
	"about_to_sleep": "About to sleep", "at_risk": "At risk", "cant_lose_them": "Can't lose them",
	"hibernating": "Hibernating", "lost": "Lost",
}

// economicsPage loads GET /segments/economics: what each segment's
// customers bring and cost, the fitted lifetime value models, whom to
// serve first, and the RFM grid, as of the latest background computation.
func (h *Handler) economicsPage(r *http.Request, _ *session) (any, error) {
	v := &economicsView{R: h.latestReports(r.Context())}
	if v.R != nil {
		v.Grid, v.Groups = rfmGrid(v.R.RFM), rfmGroups(v.R.RFM)
	}
	return v, nil
}

// rfmGrid lays the report's 25 cells out as rows of recency 5 down to 1,
// each shaded by its customers against the fullest cell's.
func rfmGrid(rep *report.RFMReport) []rfmRow {
	most := 0
	for _, c := range rep.Cells {
		most = max(most, c.Customers)
	}
	var rows []rfmRow
	for _, c := range rep.Cells {
		if len(rows) == 0 || rows[len(rows)-1].Recency != c.Recency {
			rows = append(rows, rfmRow{Recency: c.Recency})
		}
		row := &rows[len(rows)-1]
		row.Cells = append(row.Cells, rfmCell{RFMCell: c, Heat: heat(c.Customers, most)})
	}
	return rows
}

// heat is n's shade against most: 0 for none, else 1 to 5, rounding up
// so that a single customer still shows.
func heat(n, most int) int {
	if n <= 0 || most <= 0 {
		return 0
	}
	return (5*n + most - 1) / most
}

// rfmGroups names the report's groups.
func rfmGroups(rep *report.RFMReport) []rfmGroup {
	out := make([]rfmGroup, len(rep.Groups))
	for i, g := range rep.Groups {
		out[i] = rfmGroup{RFMGroup: g, Label: rfmGroupLabels[g.Group]}
		if out[i].Label == "" {
			out[i].Label = label(g.Group)
		}
	}
	return out
}

// GroupChart is the customers of each RFM group, for the template.
func (v *economicsView) GroupChart() chart {
	bs := make([]bar, len(v.Groups))
	for i, g := range v.Groups {
		bs[i] = bar{Label: g.Label, Value: float64(g.Customers)}
	}
	return amountChart("Customers", bs)
}

// Duration is how long the reports took, for the template.
func (r *reports) Duration() string { return r.Took.Round(time.Millisecond).String() }

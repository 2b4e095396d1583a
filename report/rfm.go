package report

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/segment"
)

// RFMReport is the RFM grid: customers and revenue by recency score and
// frequency score, and by named RFM group, on the quintiles of every
// customer as of the report (as rule segments' rfm.* fields score them).
type RFMReport struct {
	At        time.Time        `json:"at"`
	Customers int              `json:"customers"`
	Scale     segment.RFMScale `json:"scale"`
	// Cells are the 25 recency × frequency cells, recency 5 (most recent)
	// down to 1, frequency 1 up to 5 within each.
	Cells []RFMCell `json:"cells"`
	// Groups are the named groups, every one listed, best first.
	Groups []RFMGroup `json:"groups"`
}

// RFMCell is one recency × frequency cell.
type RFMCell struct {
	Recency   int     `json:"r"`
	Frequency int     `json:"f"`
	Customers int     `json:"customers"`
	Revenue   float64 `json:"revenue"`
}

// RFMGroup is one named group.
type RFMGroup struct {
	Group     string  `json:"group"`
	Customers int     `json:"customers"`
	Share     float64 `json:"share"`
	Revenue   float64 `json:"revenue"`
}

// rfmGroups lists the groups, best first.
var rfmGroups = []string{segment.Champions, segment.LoyalCustomers, segment.PotentialLoyalists,
	segment.NewCustomers, segment.Promising, segment.NeedAttention, segment.AboutToSleep,
	segment.AtRisk, segment.CantLoseThem, segment.Hibernating, segment.Lost}

// RFM reports the grid as of now. It keeps three numbers per customer: the
// quintiles need every customer's measures before anyone can be scored.
func RFM(ctx context.Context, st Profiles, now time.Time) (*RFMReport, error) {
	var values []segment.RFMValues
	err := scan(ctx, st, func(page []*rapport.Profile) error {
		for _, p := range page {
			if v, ok := segment.RFMValuesOf(p, now); ok {
				values = append(values, v)
			}
		}
		return ctx.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("rfm report: %w", err)
	}
	scale := segment.NewRFMScale(values)
	var cells [5][5]RFMCell
	groups := map[string]*RFMGroup{}
	for _, g := range rfmGroups {
		groups[g] = &RFMGroup{Group: g}
	}
	for _, v := range values {
		s := scale.Score(v)
		if s.R < 1 || s.F < 1 {
			continue // not scored: cannot happen with a population
		}
		c := &cells[5-s.R][s.F-1]
		c.Customers++
		c.Revenue += v.Monetary
		if g := groups[s.Group]; g != nil {
			g.Customers++
			g.Revenue += v.Monetary
		}
	}
	rep := &RFMReport{At: now.UTC(), Customers: len(values), Scale: scale}
	for i := range cells {
		for j := range cells[i] {
			c := cells[i][j]
			c.Recency, c.Frequency, c.Revenue = 5-i, j+1, round(c.Revenue, 2)
			rep.Cells = append(rep.Cells, c)
		}
	}
	for _, name := range rfmGroups {
		g := *groups[name]
		g.Revenue = round(g.Revenue, 2)
		if len(values) > 0 {
			g.Share = round(float64(g.Customers)/float64(len(values)), 4)
		}
		rep.Groups = append(rep.Groups, g)
	}
	return rep, nil
}

// WriteCSV writes the grid's cells, then the groups, in one table: the
// column table says which ("cell" or "group"); a cell leaves group empty,
// a group leaves r and f empty.
func (r *RFMReport) WriteCSV(w io.Writer) error {
	var rows [][]string
	for _, c := range r.Cells {
		rows = append(rows, []string{"cell", integer(c.Recency), integer(c.Frequency), "", integer(c.Customers), "", num(c.Revenue)})
	}
	for _, g := range r.Groups {
		rows = append(rows, []string{"group", "", "", g.Group, integer(g.Customers), num(g.Share), num(g.Revenue)})
	}
	return writeCSV(w, []string{"table", "r", "f", "group", "customers", "share", "revenue"}, rows)
}

package dashboard

import (
	"context"
	"fmt"
	"time"

	"github.com/rapportdev/rapport"
)

// The counts by grade and stage are one count query each over every score
// (the store has no cheaper way to ask), which takes seconds with a
// million profiles. So they are counted in the background (a refresher)
// at most once per distributionTTL; a page waits for a count at most
// Config.PageWait, and shows the previous counts or none meanwhile.
const distributionTTL = 30 * time.Second

// distribution counts the scored profiles by fit grade and by stage.
type distribution struct {
	Total  int
	Grades []count
	Stages []count
	At     time.Time
}

// count is one bar of a distribution.
type count struct {
	Value string
	Label string
	N     int
}

// distribution returns the latest counts, nil before the first count
// ends. It starts a count when one is due and waits for it briefly.
func (h *Handler) distribution(ctx context.Context) *distribution {
	return h.dist.get(ctx, h.cfg.PageWait)
}

// countScores asks the store how many scores each grade and each stage
// has: one count query each, through FindLeads with a page of one.
func (h *Handler) countScores(ctx context.Context) (*distribution, error) {
	d := &distribution{At: h.cfg.Clock.Now()}
	n, err := h.countLeads(ctx, rapport.LeadFilter{})
	if err != nil {
		return nil, err
	}
	d.Total = n
	for _, g := range grades {
		if n, err = h.countLeads(ctx, rapport.LeadFilter{Grades: []string{g}}); err != nil {
			return nil, err
		}
		d.Grades = append(d.Grades, count{Value: g, Label: "Grade " + g, N: n})
	}
	for _, s := range stageNames() {
		if n, err = h.countLeads(ctx, rapport.LeadFilter{Stages: []string{s}}); err != nil {
			return nil, err
		}
		d.Stages = append(d.Stages, count{Value: s, Label: label(s), N: n})
	}
	return d, nil
}

func (h *Handler) countLeads(ctx context.Context, f rapport.LeadFilter) (int, error) {
	f.Limit = 1
	_, n, err := h.cfg.Scores.FindLeads(ctx, f)
	if err != nil {
		return 0, fmt.Errorf("count leads: %w", err)
	}
	return n, nil
}

// chart is what static/charts.js draws: the same numbers as the table
// next to the canvas, which is what people without JavaScript (and
// screen readers) read.
type chart struct {
	// Kind is "bar" (Labels and Values) or "stages" (Points over time,
	// on an axis of Stages).
	Kind   string    `json:"kind"`
	Label  string    `json:"label"`
	Labels []string  `json:"labels,omitempty"`
	Values []float64 `json:"values,omitempty"`
	Points []point   `json:"points,omitempty"`
	Stages []string  `json:"stages,omitempty"`
}

// point is a moment (unix milliseconds) and a stage's index in Stages.
type point struct {
	X int64 `json:"x"`
	Y int   `json:"y"`
}

// barChart returns the bars of counts.
func barChart(name string, cs []count) chart {
	c := chart{Kind: "bar", Label: name}
	for _, x := range cs {
		c.Labels = append(c.Labels, x.Label)
		c.Values = append(c.Values, float64(x.N))
	}
	return c
}

// GradeChart is the distribution by grade, for the template.
func (d *distribution) GradeChart() chart { return barChart("Profiles", d.Grades) }

// StageChart is the distribution by stage, for the template.
func (d *distribution) StageChart() chart { return barChart("Profiles", d.Stages) }

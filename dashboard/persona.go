package dashboard

import (
	"cmp"
	"encoding/json"
	"slices"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/cluster"
)

// personaView is a discovered bucket's persona card, as `rapport cluster`
// stored it, with its medians in a fixed order and named for people.
type personaView struct {
	cluster.Persona
	Medians []median
}

// median is one typical value of a bucket.
type median struct {
	Feature string
	Label   string
	Value   float64
}

// medianLabels name the features Describe summarises, in the order the
// card lists them; others follow by name.
var medianLabels = []struct{ feature, label string }{
	{cluster.FeatureAge, "Age (years)"},
	{cluster.FeatureFrequency, "Orders"},
	{cluster.FeatureMonetary, "Revenue"},
	{cluster.FeatureAverageOrderValue, "Average order value"},
	{cluster.FeatureRecency, "Days since the last order"},
	{cluster.FeatureSessions, "Sessions"},
	{cluster.FeatureFollowers, "Followers"},
	{cluster.FeatureServiceEffort, "Service effort (1–10)"},
}

// persona reads a bucket's card. A card that does not decode is logged
// and said so on the page, which shows the rest of the segment.
func (h *Handler) persona(s *rapport.Segment) (*personaView, string) {
	if len(s.Persona) == 0 {
		return nil, "This bucket has no persona card: run rapport cluster again to describe it."
	}
	var p personaView
	if err := json.Unmarshal(s.Persona, &p.Persona); err != nil {
		h.cfg.Logger.Error("dashboard: read persona card", "segment", s.ID, "err", err)
		return nil, "This bucket's persona card could not be read; the details are in the server's log."
	}
	p.Medians = medians(p.Persona.Medians)
	return &p, ""
}

// medians orders a card's medians: the known features first, as
// medianLabels lists them, then any others by name.
func medians(m map[string]float64) []median {
	var out []median
	seen := map[string]bool{}
	for _, f := range medianLabels {
		if v, ok := m[f.feature]; ok {
			out = append(out, median{Feature: f.feature, Label: f.label, Value: v})
			seen[f.feature] = true
		}
	}
	var rest []median
	for f, v := range m {
		if !seen[f] {
			rest = append(rest, median{Feature: f, Label: label(f), Value: v})
		}
	}
	slices.SortFunc(rest, func(a, b median) int { return cmp.Compare(a.Feature, b.Feature) })
	return append(out, rest...)
}

package cluster

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
)

// The numeric features Describe reads rules from. Others are summarised
// (their medians reported) but drive no rule.
const (
	// FeatureRecency is days since the last order.
	FeatureRecency = "recency_days"
	// FeatureFrequency is orders within DescribeOptions.WindowDays.
	FeatureFrequency = "frequency"
	// FeatureMonetary is revenue within the same window.
	FeatureMonetary = "monetary"
	// FeatureAverageOrderValue is revenue per order.
	FeatureAverageOrderValue = "average_order_value"
	// FeatureServiceEffort is support contacts, returns and the like.
	FeatureServiceEffort = "service_effort"
	// FeatureFollowers is the size of the customer's social audience.
	FeatureFollowers = "followers"
	// FeatureAge is the customer's age in years.
	FeatureAge = "age"
	// FeatureSessions is visits to the website or app.
	FeatureSessions = "sessions"
)

// Member is what Describe knows of one customer: numeric features by name
// (see the Feature constants) and three mixes, each a amount per key: orders
// per channel ("online", "in_store", …), revenue per category and revenue
// per brand. Absent or NaN features are left out of the medians.
type Member struct {
	Features   map[string]float64
	Channels   map[string]float64
	Categories map[string]float64
	Brands     map[string]float64
}

// Share is one key of a mix and its part of the cluster's total, 0 … 1.
type Share struct {
	Name  string  `json:"name"`
	Share float64 `json:"share"`
}

// Persona describes one cluster for people: its size, its typical values,
// what it buys where, and a label and a one-sentence story derived from how
// its medians differ from everyone's.
type Persona struct {
	Cluster       int                `json:"cluster"`
	Size          int                `json:"size"`
	Share         float64            `json:"share"`
	Medians       map[string]float64 `json:"medians"`
	Channel       string             `json:"channel,omitempty"`
	ChannelShare  float64            `json:"channel_share,omitempty"`
	TopCategories []Share            `json:"top_categories,omitempty"`
	TopBrands     []Share            `json:"top_brands,omitempty"`
	Traits        []Trait            `json:"traits"`
	Label         string             `json:"label"`
	Story         string             `json:"story"`
}

// DescribeOptions tunes Describe; zero fields take the defaults given.
type DescribeOptions struct {
	// Top is how many categories and brands a persona lists (default 3).
	Top int
	// WindowDays is the span FeatureFrequency counts orders over, which
	// turns it into "weekly" or "monthly" (default 365).
	WindowDays float64
}

// Describe writes a Persona for each cluster 0 … max(labels), members[i]
// being in cluster labels[i]. It is deterministic: the same input gives the
// same words.
func Describe(members []Member, labels []int, opts DescribeOptions) ([]Persona, error) {
	if len(members) != len(labels) {
		return nil, fmt.Errorf("describe: %d members, %d labels", len(members), len(labels))
	}
	sizes, err := clusterSizes(labels)
	if err != nil {
		return nil, fmt.Errorf("describe: %w", err)
	}
	if opts.Top <= 0 {
		opts.Top = 3
	}
	if opts.WindowDays <= 0 || math.IsNaN(opts.WindowDays) {
		opts.WindowDays = 365
	}
	groups := make([][]Member, len(sizes))
	for i, l := range labels {
		groups[l] = append(groups[l], members[i])
	}
	population := featureMedians(members)
	out := make([]Persona, len(groups))
	for c, g := range groups {
		out[c] = describeOne(c, g, len(members), population, opts)
	}
	return out, nil
}

// describeOne builds cluster c's persona from its members.
func describeOne(c int, g []Member, total int, population map[string]float64, opts DescribeOptions) Persona {
	p := Persona{Cluster: c, Size: len(g), Medians: featureMedians(g)}
	if total > 0 {
		p.Share = float64(len(g)) / float64(total)
	}
	channels := mix(g, func(m Member) map[string]float64 { return m.Channels })
	if len(channels) > 0 {
		p.Channel, p.ChannelShare = channels[0].Name, channels[0].Share
	}
	p.TopCategories = topN(mix(g, func(m Member) map[string]float64 { return m.Categories }), opts.Top)
	p.TopBrands = topN(mix(g, func(m Member) map[string]float64 { return m.Brands }), opts.Top)
	if len(g) == 0 {
		p.Traits, p.Label, p.Story = []Trait{}, "Empty cluster", "No members."
		return p
	}
	p.Traits = traits(p, population, channels, opts.WindowDays)
	p.Label = label(p.Traits)
	p.Story = story(p, opts.WindowDays)
	return p
}

// featureMedians is each numeric feature's median over the members that
// have it.
func featureMedians(ms []Member) map[string]float64 {
	values := map[string][]float64{}
	for _, m := range ms {
		for name, v := range m.Features {
			if !math.IsNaN(v) {
				values[name] = append(values[name], v)
			}
		}
	}
	out := make(map[string]float64, len(values))
	for name, vs := range values {
		out[name] = median(vs)
	}
	return out
}

// median sorts vs and returns its middle value (the mean of the two middle
// values for an even count).
func median(vs []float64) float64 {
	slices.Sort(vs)
	n := len(vs)
	if n%2 == 1 {
		return vs[n/2]
	}
	return (vs[n/2-1] + vs[n/2]) / 2
}

// mix sums one mix over the members and returns each key's share, largest
// first (by name on a tie). Negative and NaN amounts are ignored.
func mix(ms []Member, of func(Member) map[string]float64) []Share {
	sums := map[string]float64{}
	for _, m := range ms {
		for k, v := range of(m) {
			if v > 0 && !math.IsInf(v, 0) {
				sums[k] += v
			}
		}
	}
	// Total in key order: a sum in map order could differ in its last bit
	// from one run to the next.
	keys := slices.Sorted(maps.Keys(sums))
	var total float64
	for _, k := range keys {
		total += sums[k]
	}
	out := make([]Share, 0, len(sums))
	for _, k := range keys {
		out = append(out, Share{Name: k, Share: sums[k] / total})
	}
	slices.SortFunc(out, func(a, b Share) int {
		if c := cmp.Compare(b.Share, a.Share); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	})
	return out
}

// topN returns the first n shares, or nil when there are none.
func topN(s []Share, n int) []Share {
	if len(s) == 0 {
		return nil
	}
	return s[:min(n, len(s))]
}

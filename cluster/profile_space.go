package cluster

import (
	"cmp"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/rapportdev/rapport"
)

// ProfileSpace is the space stored customers are clustered in: the same
// columns for every customer, among them the revenue shares of a fixed list
// of categories chosen from the population (NewProfileSpace), so that two
// runs over the same customers agree on what each column means.
type ProfileSpace struct {
	Categories []string
}

// NewProfileSpace picks the top categories by the members' total revenue
// (by name on a tie): a shop with hundreds of categories gets a few columns
// that matter rather than hundreds of nearly empty ones.
func NewProfileSpace(members []Member, top int) ProfileSpace {
	sums := map[string]float64{}
	for _, m := range members {
		for c, v := range m.Categories {
			if v > 0 && !math.IsInf(v, 0) {
				sums[c] += v
			}
		}
	}
	names := slices.SortedFunc(maps.Keys(sums), func(a, b string) int {
		if c := cmp.Compare(sums[b], sums[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	return ProfileSpace{Categories: names[:min(max(top, 0), len(names))]}
}

// Names returns the columns of a row, in order.
func (s ProfileSpace) Names() []string {
	names := []string{FeatureRecency, FeatureFrequency, FeatureMonetary, FeatureAverageOrderValue,
		FeatureShareInStore, FeatureSharePhone, FeatureShareOnline}
	for _, c := range s.Categories {
		names = append(names, CategorySharePrefix+c)
	}
	return append(names, FeatureServiceEffort, FeatureInfluence, FeatureAge)
}

// ProfileFeatures returns a stored customer's row in the space (see Names),
// or false for a profile without orders. Age and recency are NaN when not
// known; ProfileMatrix fills them in.
func (s ProfileSpace) ProfileFeatures(p *rapport.Profile, now time.Time) ([]float64, bool) {
	m, ok := ProfileMember(p, now)
	if !ok {
		return nil, false
	}
	return s.Row(m), true
}

// Row returns a member's row in the space (see Names).
func (s ProfileSpace) Row(m Member) []float64 {
	return s.appendRow(make([]float64, 0, 10+len(s.Categories)), m)
}

// appendRow appends the member's row to dst.
func (s ProfileSpace) appendRow(dst []float64, m Member) []float64 {
	feature := func(name string) float64 {
		if v, ok := m.Features[name]; ok {
			return v
		}
		return math.NaN()
	}
	dst = append(dst, feature(FeatureRecency), feature(FeatureFrequency), feature(FeatureMonetary), feature(FeatureAverageOrderValue))
	channels := shares(m.Channels, channelGroup)
	dst = append(dst, channels[FeatureShareInStore], channels[FeatureSharePhone], channels[FeatureShareOnline])
	categories := shares(m.Categories, func(c string) string { return c })
	for _, c := range s.Categories {
		dst = append(dst, categories[c])
	}
	return append(dst, feature(FeatureServiceEffort), math.Log1p(max(m.Features[FeatureFollowers], 0)), feature(FeatureAge))
}

// shares sums a mix into groups and divides by the mix's total: each
// group's share, 0 … 1. Amounts that are not positive and finite count
// nowhere; keys grouped under "" count toward the total only.
func shares(mix map[string]float64, group func(string) string) map[string]float64 {
	out := map[string]float64{}
	var total float64
	for _, k := range slices.Sorted(maps.Keys(mix)) {
		v := mix[k]
		if v <= 0 || math.IsInf(v, 0) || math.IsNaN(v) {
			continue
		}
		total += v
		if g := group(k); g != "" {
			out[g] += v
		}
	}
	for g := range out {
		out[g] /= total
	}
	return out
}

// ProfileMatrix puts the members' rows in one matrix, each unknown value
// (NaN) replaced by its column's median over the known ones (0 when none
// is known): an unknown age should neither make a customer look young nor
// keep them out.
func (s ProfileSpace) ProfileMatrix(members []Member) Matrix {
	cols := len(s.Names())
	x := Matrix{Rows: len(members), Cols: cols, Data: make([]float64, 0, len(members)*cols)}
	for _, m := range members {
		x.Data = s.appendRow(x.Data, m)
	}
	fillMedians(x)
	return x
}

// fillMedians replaces each NaN with its column's median.
func fillMedians(x Matrix) {
	known := make([]float64, 0, x.Rows)
	for j := range x.Cols {
		known = known[:0]
		missing := false
		for i := range x.Rows {
			if v := x.Data[i*x.Cols+j]; math.IsNaN(v) {
				missing = true
			} else {
				known = append(known, v)
			}
		}
		if !missing {
			continue
		}
		fill := 0.0
		if len(known) > 0 {
			fill = median(known)
		}
		for i := range x.Rows {
			if math.IsNaN(x.Data[i*x.Cols+j]) {
				x.Data[i*x.Cols+j] = fill
			}
		}
	}
}

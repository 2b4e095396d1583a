package dashboard

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/report"
)

// mixCategories is how many categories a mix names; the rest are summed
// as "other".
const mixCategories = 6

// mix is what a segment's customers bought and where: orders by channel
// and revenue by category, over its members with at least one order.
type mix struct {
	Customers  int
	Channels   []bar
	Categories []bar
}

// bar is one bar of a chart over amounts (orders, money).
type bar struct {
	Label string
	Value float64
}

// ChannelChart is the orders by channel, for the template.
func (m *mix) ChannelChart() chart { return amountChart("Orders", m.Channels) }

// CategoryChart is the revenue by category, for the template.
func (m *mix) CategoryChart() chart { return amountChart("Revenue", m.Categories) }

// amountChart returns the bars of amounts.
func amountChart(name string, bs []bar) chart {
	c := chart{Kind: "bar", Label: name}
	for _, b := range bs {
		c.Labels = append(c.Labels, b.Label)
		c.Values = append(c.Values, b.Value)
	}
	return c
}

// mixTotals adds up one segment's customers.
type mixTotals struct {
	customers  int
	channels   map[string]float64
	categories map[string]float64
}

func (t *mixTotals) add(p *rapport.Profile) {
	t.customers++
	for ch, n := range p.Aggregates.PurchaseChannels {
		t.channels[ch] += float64(n)
	}
	for cat, v := range p.Aggregates.Categories {
		t.categories[cat] += v
	}
}

// mix returns the totals largest first; categories beyond mixCategories
// are summed as "other".
func (t *mixTotals) mix() *mix {
	m := &mix{Customers: t.customers, Channels: bars(t.channels)}
	cats := bars(t.categories)
	if len(cats) > mixCategories {
		other := bar{Label: "other"}
		for _, b := range cats[mixCategories:] {
			other.Value += b.Value
		}
		cats = append(cats[:mixCategories:mixCategories], other)
	}
	for i := range cats {
		cats[i].Value = math.Round(cats[i].Value*100) / 100 // money: cents
	}
	m.Categories = cats
	return m
}

// bars returns the amounts largest first, then by name.
func bars(m map[string]float64) []bar {
	out := make([]bar, 0, len(m))
	for k, v := range m {
		out = append(out, bar{Label: k, Value: v})
	}
	slices.SortFunc(out, func(a, b bar) int { return cmp.Or(cmp.Compare(b.Value, a.Value), cmp.Compare(a.Label, b.Label)) })
	return out
}

// segmentMixes reads every profile, a page at a time, and returns the mix
// of each segment that has customers among its members.
func (h *Handler) segmentMixes(ctx context.Context) (map[string]*mix, error) {
	totals := map[string]*mixTotals{}
	after := ""
	for {
		page, err := h.cfg.Store.ScanProfiles(ctx, after, report.PageSize)
		if err != nil {
			return nil, fmt.Errorf("segment mixes: scan profiles after %q: %w", after, err)
		}
		if len(page) == 0 {
			break
		}
		after = page[len(page)-1].ID
		if err := h.addMixes(ctx, totals, page); err != nil {
			return nil, err
		}
	}
	out := make(map[string]*mix, len(totals))
	for id, t := range totals {
		out[id] = t.mix()
	}
	return out, nil
}

// addMixes adds a page's customers to the totals of their segments.
func (h *Handler) addMixes(ctx context.Context, totals map[string]*mixTotals, page []*rapport.Profile) error {
	var customers []*rapport.Profile
	var ids []string
	for _, p := range page {
		if p.Aggregates.Orders > 0 {
			customers, ids = append(customers, p), append(ids, p.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	in, err := h.cfg.Store.FindMemberships(ctx, ids)
	if err != nil {
		return fmt.Errorf("segment mixes: find memberships: %w", err)
	}
	for _, p := range customers {
		for _, seg := range in[p.ID] {
			t := totals[seg]
			if t == nil {
				t = &mixTotals{channels: map[string]float64{}, categories: map[string]float64{}}
				totals[seg] = t
			}
			t.add(p)
		}
	}
	return nil
}

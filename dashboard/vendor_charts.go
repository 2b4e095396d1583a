package dashboard

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/leads"
)

// histogram is how the leads of each vendor spread over the buckets of a
// measure: a table row per vendor, and a stacked chart.
type histogram struct {
	// ID names the chart's element; Caption says what it counts.
	ID, Caption string
	Buckets     []string
	Rows        []histRow
}

// histRow is one vendor's leads per bucket.
type histRow struct {
	VendorID string
	Counts   []int
	Total    int
}

// buckets of a measure: the bounds, their labels (one more than the
// bounds), and whether leads without the measure (never attempted) get a
// column of their own.
type buckets struct {
	id, caption string
	measure     string
	bounds      []time.Duration
	labels      []string
	never       bool
}

const oneDay = 24 * time.Hour

var (
	speedBuckets = buckets{"speed-chart", "Leads per vendor by time from submission to first attempt", rapport.MeasureToFirstAttempt, []time.Duration{5 * time.Minute, 30 * time.Minute, time.Hour, 4 * time.Hour, oneDay},
		[]string{"under 5m", "5–30m", "30m–1h", "1–4h", "4h–1d", "over 1d"}, true}
	deliveryBuckets = buckets{"age-delivery-chart", "Age at delivery (submission to receipt)", rapport.MeasureAgeAtDelivery, []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, oneDay},
		[]string{"under 1m", "1–5m", "5–30m", "30m–2h", "2h–1d", "over 1d"}, false}
	ageBuckets = buckets{"age-now-chart", "Age now (since submission)", rapport.MeasureAge, []time.Duration{time.Hour, oneDay, 7 * oneDay, 30 * oneDay},
		[]string{"under 1h", "1h–1d", "1–7d", "7–30d", "over 30d"}, false}
)

func (h *Handler) loadHistograms(ctx context.Context, _ *http.Request, rg leads.Range, v *vendorsView) error {
	for _, x := range []struct {
		b   buckets
		dst *histogram
	}{{speedBuckets, &v.Speed}, {deliveryBuckets, &v.AgeAt}, {ageBuckets, &v.AgeNow}} {
		counts, err := h.cfg.Leads.Distribution(ctx, rg, x.b.measure, x.b.bounds)
		if err != nil {
			return fmt.Errorf("lead distribution of %s: %w", x.b.measure, err)
		}
		*x.dst = x.b.histogram(counts)
	}
	return nil
}

// histogram lays the store's counts out as table rows, a column per
// bucket ("never" first when the buckets have it).
func (b buckets) histogram(counts []rapport.LeadBucket) histogram {
	h := histogram{ID: b.id, Caption: b.caption, Buckets: b.labels}
	shift := 0
	if b.never {
		h.Buckets, shift = append([]string{"never attempted"}, b.labels...), 1
	}
	index := map[string]int{}
	for _, c := range counts {
		i, ok := index[c.VendorID]
		if !ok {
			i = len(h.Rows)
			index[c.VendorID] = i
			h.Rows = append(h.Rows, histRow{VendorID: c.VendorID, Counts: make([]int, len(h.Buckets))})
		}
		col := c.Bucket + shift
		if c.Bucket < 0 {
			col = 0
		}
		h.Rows[i].Counts[col] += c.Leads
		h.Rows[i].Total += c.Leads
	}
	return h
}

// Chart stacks each vendor's leads over the buckets: a series per vendor.
func (h histogram) Chart() seriesChart {
	c := seriesChart{Kind: "series", Type: "bar", Labels: h.Buckets, Stacked: true}
	for _, r := range h.Rows {
		s := series{Label: r.VendorID}
		for _, n := range r.Counts {
			s.add(float64(n))
		}
		c.Series = append(c.Series, s)
	}
	return c
}

// VolumeChart groups, per vendor, the leads bought, contacted, converted
// and returned.
func (v *vendorsView) VolumeChart() seriesChart {
	c := seriesChart{Kind: "series", Type: "bar"}
	set := []series{{Label: "Leads"}, {Label: "Contacted"}, {Label: "Converted"}, {Label: "Returned"}}
	for _, r := range v.Cards {
		c.Labels = append(c.Labels, r.Name())
		for i, n := range []int{r.Leads, r.Contacted, r.Conversions, r.Returns} {
			set[i].add(float64(n))
		}
	}
	c.Series = set
	return c
}

// MoneyChart groups, per vendor, the net spend and the revenue of its
// conversions.
func (v *vendorsView) MoneyChart() seriesChart {
	c := seriesChart{Kind: "series", Type: "bar", Unit: "money"}
	set := []series{{Label: "Net spend"}, {Label: "Revenue"}}
	for _, r := range v.Cards {
		c.Labels = append(c.Labels, r.Name())
		set[0].add(r.NetSpend)
		set[1].add(r.Revenue)
	}
	c.Series = set
	return c
}

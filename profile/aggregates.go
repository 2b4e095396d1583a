package profile

import (
	"time"

	"github.com/rapportdev/rapport"
)

// sessionGap is the inactivity after which the next event starts a new
// session, as in Segment's and RudderStack's SDKs and Google Analytics.
const sessionGap = 30 * time.Minute

// count updates the aggregates every event feeds: seen times, event and
// channel counts, sessions, page and screen views.
func (b *Batch) count(p *rapport.Profile, ev *rapport.Event, t time.Time) {
	a := &p.Aggregates
	a.Events = inc(a.Events, eventName(ev), 1)
	a.Recent.Add(eventName(ev), t, rapport.HistoryDays)
	a.Channels = inc(a.Channels, eventChannel(ev), 1)
	origin(a, ev, t)
	if b.newSession(p, ev, t) {
		a.Sessions++
	}
	seen(a, t)
	switch ev.Type {
	case rapport.EventPage:
		a.PageViews++
	case rapport.EventScreen:
		a.Screens++
	}
}

// newSession reports whether the event starts a session. With a
// context.sessionId (RudderStack sends one), a session starts when the id
// differs from the one of the profile's previous event. Where that previous
// id is not known (a profile's first such event, or after a restart: the
// domain has nowhere to store it), the 30-minute rule decides, which agrees
// with RudderStack's default 30-minute session timeout. Without a session
// id, a session starts when the event comes more than 30 minutes after
// LastSeen. An event older than LastSeen (arriving late) never starts one:
// that may under-count a session seen only through late events, but never
// counts a session twice.
func (b *Batch) newSession(p *rapport.Profile, ev *rapport.Event, t time.Time) bool {
	a := &p.Aggregates
	if !a.LastSeen.IsZero() && t.Before(a.LastSeen) {
		return false
	}
	byGap := a.LastSeen.IsZero() || t.Sub(a.LastSeen) > sessionGap
	sid := text(ev.Context["sessionId"])
	if sid == "" {
		return byGap
	}
	prev, ok := b.sessions[p.ID]
	if !ok {
		prev = b.view.LastSessionID(p.ID)
	}
	b.sessions[p.ID] = sid
	if prev == "" {
		return byGap
	}
	return sid != prev
}

// seen widens FirstSeen and LastSeen to include t.
func seen(a *rapport.Aggregates, t time.Time) {
	if t.IsZero() {
		return
	}
	if a.FirstSeen.IsZero() || t.Before(a.FirstSeen) {
		a.FirstSeen = t
	}
	if t.After(a.LastSeen) {
		a.LastSeen = t
	}
}

// eventName is the name events are counted under: a track's event name,
// else the call type.
func eventName(ev *rapport.Event) string {
	if ev.Type == rapport.EventTrack && ev.Event != "" {
		return ev.Event
	}
	return string(ev.Type)
}

// addAggregates adds src to dst, as when two profiles merge: counts and
// sums add up, first times take the earlier, last times the later.
func addAggregates(dst *rapport.Aggregates, src rapport.Aggregates) {
	seen(dst, src.FirstSeen)
	seen(dst, src.LastSeen)
	dst.Events = addCounts(dst.Events, src.Events)
	dst.Channels = addCounts(dst.Channels, src.Channels)
	dst.Sessions += src.Sessions
	dst.PageViews += src.PageViews
	dst.Screens += src.Screens
	dst.Orders += src.Orders
	dst.Revenue = addFinite(dst.Revenue, src.Revenue)
	dst.Cost = addFinite(dst.Cost, src.Cost)
	dst.Margin = addFinite(dst.Margin, src.Margin)
	dst.FirstOrderAt = earliest(dst.FirstOrderAt, src.FirstOrderAt)
	dst.LastOrderAt = latest(dst.LastOrderAt, src.LastOrderAt)
	dst.PurchaseChannels = addCounts(dst.PurchaseChannels, src.PurchaseChannels)
	dst.Categories = addSums(dst.Categories, src.Categories)
	dst.Brands = addSums(dst.Brands, src.Brands)
	dst.Browsers = addCounts(dst.Browsers, src.Browsers)
	dst.Referrers = addCounts(dst.Referrers, src.Referrers)
	dst.OrderWeekdays = addCounts(dst.OrderWeekdays, src.OrderWeekdays)
	dst.OrderDayparts = addCounts(dst.OrderDayparts, src.OrderDayparts)
	dst.Recent.Merge(&src.Recent, rapport.HistoryDays)
	averageOrderValue(dst)
}

// averageOrderValue recomputes AOV from its parts.
func averageOrderValue(a *rapport.Aggregates) {
	a.AverageOrderValue = 0
	if a.Orders > 0 {
		a.AverageOrderValue = a.Revenue / float64(a.Orders)
	}
}

func inc(m map[string]int64, k string, n int64) map[string]int64 {
	if m == nil {
		m = map[string]int64{}
	}
	m[k] += n
	return m
}

func addCounts(dst, src map[string]int64) map[string]int64 {
	for k, n := range src {
		dst = inc(dst, k, n)
	}
	return dst
}

func addSums(dst, src map[string]float64) map[string]float64 {
	for k, v := range src {
		dst = addSum(dst, k, v)
	}
	return dst
}

func addSum(m map[string]float64, k string, v float64) map[string]float64 {
	if m == nil {
		m = map[string]float64{}
	}
	m[k] = addFinite(m[k], v)
	return m
}

func earliest(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

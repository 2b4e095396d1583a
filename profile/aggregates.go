package profile

import (
	"time"

	"github.com/rapportdev/rapport"
)

// count updates the aggregates every event feeds: seen times, event and
// channel counts, sessions, page and screen views, and the first times.
func count(p *rapport.Profile, ev *rapport.Event, t time.Time) {
	a := &p.Aggregates
	name := eventName(ev)
	a.Firsts = firsts(a)
	a.Events = inc(a.Events, name, 1)
	a.Recent.Add(name, t, rapport.HistoryDays)
	a.Firsts.SeeEvent(name, t)
	a.Channels = inc(a.Channels, eventChannel(ev), 1)
	origin(a, ev, t)
	addSession(a, t, text(ev.Context["sessionId"]))
	seen(a, t)
	switch ev.Type {
	case rapport.EventPage:
		a.PageViews++
	case rapport.EventScreen:
		a.Screens++
	}
}

// addSession counts the event into the session runs (context.sessionId,
// as RudderStack sends, or "") and Sessions from them.
func addSession(a *rapport.Aggregates, t time.Time, sessionID string) {
	a.SessionRuns = sessionHistory(a)
	a.SessionRuns.Add(t, sessionID, rapport.HistoryDays)
	a.Sessions = a.SessionRuns.Count()
}

// sessionHistory returns a's session runs. A profile stored before runs
// were kept has a count only: its latest session is taken to have ended at
// LastSeen and the others to be older, so that an event within
// SessionGap of LastSeen continues it, as it did before.
func sessionHistory(a *rapport.Aggregates) rapport.SessionHistory {
	h := a.SessionRuns
	if a.Sessions == 0 || !h.IsZero() {
		return h
	}
	if a.LastSeen.IsZero() {
		return rapport.SessionHistory{Before: a.Sessions}
	}
	at := a.LastSeen.Unix()
	return rapport.SessionHistory{Before: a.Sessions - 1, Runs: []rapport.SessionRun{{Start: at, End: at}}}
}

// firsts returns a's first times, marked partial for a profile that had
// events before first times were kept.
func firsts(a *rapport.Aggregates) rapport.Firsts {
	f := a.Firsts
	if f.IsZero() && len(a.Events) > 0 {
		f.Partial = true
	}
	return f
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
	// Before LastSeen widens: a profile stored before runs were kept has
	// its latest session end at its own LastSeen.
	runs, other := sessionHistory(dst), sessionHistory(&src)
	seen(dst, src.FirstSeen)
	seen(dst, src.LastSeen)
	dst.Events = addCounts(dst.Events, src.Events)
	dst.Channels = addCounts(dst.Channels, src.Channels)
	runs.Merge(&other, rapport.HistoryDays)
	dst.SessionRuns, dst.Sessions = runs, runs.Count()
	dst.PageViews += src.PageViews
	dst.Screens += src.Screens
	dst.Orders += src.Orders
	dst.Revenue = addFinite(dst.Revenue, src.Revenue)
	dst.Cost = addFinite(dst.Cost, src.Cost)
	dst.Margin = addFinite(dst.Margin, src.Margin)
	dst.FirstOrderAt = rapport.Earliest(dst.FirstOrderAt, src.FirstOrderAt)
	dst.LastOrderAt = rapport.Latest(dst.LastOrderAt, src.LastOrderAt)
	dst.PurchaseChannels = addCounts(dst.PurchaseChannels, src.PurchaseChannels)
	dst.Categories = addSums(dst.Categories, src.Categories)
	dst.Brands = addSums(dst.Brands, src.Brands)
	dst.Browsers = addCounts(dst.Browsers, src.Browsers)
	dst.Referrers = addCounts(dst.Referrers, src.Referrers)
	dst.OrderWeekdays = addCounts(dst.OrderWeekdays, src.OrderWeekdays)
	dst.OrderDayparts = addCounts(dst.OrderDayparts, src.OrderDayparts)
	dst.Recent.Merge(&src.Recent, rapport.HistoryDays)
	dst.Firsts = firsts(dst)
	srcFirsts := firsts(&src)
	dst.Firsts.Merge(&srcFirsts)
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

package rapport

import (
	"math"
	"slices"
	"sort"
	"time"
)

// HistoryDays is how many days of daily event counts a profile keeps:
// more than a year, so "in the last 365 days" and "around Feb 14 last
// year" can be answered.
const HistoryDays = 400

// MaxPurchaseDays bounds a category's purchase-day list: the most recent
// days are kept.
const MaxPurchaseDays = 400

// DayCount is how many events of one name happened on one UTC day.
type DayCount struct {
	// Day counts days since 1970-01-01 (UTC).
	Day int32 `json:"d"`
	N   int32 `json:"n"`
}

// EventHistory is the recent part of a profile's history that segment
// rules read: per event name, counts per day over a bounded window
// ("Order Completed at least twice in the last 90 days"), and per product
// category, the days it was bought ("bought flowers around Feb 14"). It is
// compact and bounded, so it is kept with the profile's aggregates; the
// zero value is empty and ready to use.
type EventHistory struct {
	// Events holds, per event name, day counts sorted by day, none older
	// than the keepDays given to Add.
	Events map[string][]DayCount `json:"events,omitempty"`
	// Purchases holds, per category, the distinct days with a purchase,
	// sorted, at most MaxPurchaseDays of them.
	Purchases map[string][]int32 `json:"purchases,omitempty"`
}

// DayOf returns the UTC day of t as days since 1970-01-01.
func DayOf(t time.Time) int32 {
	sec := t.Unix()
	d := sec / 86400
	if sec%86400 < 0 {
		d-- // floor, not truncation, before 1970
	}
	return int32(max(min(d, math.MaxInt32), math.MinInt32))
}

// Add counts one event named name at time at, keeping keepDays days: the
// day of the newest event seen for that name and the keepDays-1 days
// before it. Days that fall out of the window are dropped; an event older
// than the window is ignored. keepDays below 1 keeps nothing.
func (h *EventHistory) Add(name string, at time.Time, keepDays int) {
	if keepDays < 1 {
		return
	}
	day := DayOf(at)
	list := h.Events[name]
	newest := day
	if n := len(list); n > 0 {
		newest = max(newest, list[n-1].Day)
	}
	cutoff := int64(newest) - int64(keepDays) + 1
	if int64(day) < cutoff {
		return
	}
	i := sort.Search(len(list), func(i int) bool { return list[i].Day >= day })
	if i < len(list) && list[i].Day == day {
		if list[i].N < math.MaxInt32 {
			list[i].N++
		}
	} else {
		list = slices.Insert(list, i, DayCount{Day: day, N: 1})
	}
	drop := sort.Search(len(list), func(i int) bool { return int64(list[i].Day) >= cutoff })
	list = slices.Delete(list, 0, drop)
	if h.Events == nil {
		h.Events = make(map[string][]DayCount)
	}
	h.Events[name] = list
}

// AddPurchase records that category was bought at time at.
func (h *EventHistory) AddPurchase(category string, at time.Time) {
	day := DayOf(at)
	list := h.Purchases[category]
	i, found := slices.BinarySearch(list, day)
	if found {
		return
	}
	list = slices.Insert(list, i, day)
	if len(list) > MaxPurchaseDays {
		list = slices.Delete(list, 0, len(list)-MaxPurchaseDays)
	}
	if h.Purchases == nil {
		h.Purchases = make(map[string][]int32)
	}
	h.Purchases[category] = list
}

// Merge adds other's counts and purchase days into h, as when two
// profiles of one person merge, keeping keepDays days back from the newest.
func (h *EventHistory) Merge(other *EventHistory, keepDays int) {
	for name, days := range other.Events {
		merged := mergeDays(h.Events[name], days)
		if n := len(merged); n > 0 && keepDays >= 1 {
			cutoff := int64(merged[n-1].Day) - int64(keepDays) + 1
			drop := sort.Search(n, func(i int) bool { return int64(merged[i].Day) >= cutoff })
			merged = merged[drop:]
		}
		if h.Events == nil {
			h.Events = make(map[string][]DayCount)
		}
		h.Events[name] = merged
	}
	for cat, days := range other.Purchases {
		for _, d := range days {
			h.AddPurchase(cat, time.Unix(int64(d)*86400, 0).UTC())
		}
	}
}

// mergeDays merges two day-sorted lists into a new one, adding the counts
// of a day both hold.
func mergeDays(a, b []DayCount) []DayCount {
	out := make([]DayCount, 0, len(a)+len(b))
	for len(a) > 0 || len(b) > 0 {
		switch {
		case len(b) == 0 || (len(a) > 0 && a[0].Day < b[0].Day):
			out, a = append(out, a[0]), a[1:]
		case len(a) == 0 || b[0].Day < a[0].Day:
			out, b = append(out, b[0]), b[1:]
		default:
			n := int64(a[0].N) + int64(b[0].N)
			out = append(out, DayCount{Day: a[0].Day, N: int32(min(n, math.MaxInt32))})
			a, b = a[1:], b[1:]
		}
	}
	return out
}

// Clone returns a deep copy: profiles in the processor's cache are never
// changed in place.
func (h EventHistory) Clone() EventHistory {
	var c EventHistory
	if h.Events != nil {
		c.Events = make(map[string][]DayCount, len(h.Events))
		for k, v := range h.Events {
			c.Events[k] = slices.Clone(v)
		}
	}
	if h.Purchases != nil {
		c.Purchases = make(map[string][]int32, len(h.Purchases))
		for k, v := range h.Purchases {
			c.Purchases[k] = slices.Clone(v)
		}
	}
	return c
}

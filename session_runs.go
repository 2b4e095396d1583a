package rapport

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"time"
)

// SessionGap is the inactivity after which the next event starts a new
// session, as in Segment's and RudderStack's SDKs and Google Analytics.
const SessionGap = 30 * time.Minute

// MaxRunSessionIDs bounds the session ids a run keeps: a client that sends
// a new context.sessionId with every event counts at most this many
// sessions per run.
const MaxRunSessionIDs = 16

// SessionRun is a run of a profile's events, by event time, with no gap of
// more than SessionGap between two of them. It stands for one session, or
// for one per session id when its events carry several context.sessionId
// values (RudderStack starts a new id on a manual session start, or after
// its own timeout). Times are whole seconds, so the runs are the same
// whatever order the events came in, after any rounding.
type SessionRun struct {
	Start, End int64    // unix seconds of the run's first and last events
	IDs        []string // distinct session ids, sorted, at most MaxRunSessionIDs
}

// Sessions is how many sessions the run stands for.
func (r SessionRun) Sessions() int64 { return max(1, int64(len(r.IDs))) }

// wireRun is a run as stored: [gap, length, id...], the gap counted from
// the end of the run before (from 1970 for the first), all in seconds.
// Deltas keep a profile's runs short: a returning visitor has one per
// visit over HistoryDays days, and profiles are encoded at every batch.
type wireRun struct {
	gap, length int64
	ids         []string
}

// UnmarshalJSON reads a stored run in any JSON form: the form
// MarshalJSON writes is parsed directly by parseSessionHistory, so this
// reads only what that does not.
func (r *wireRun) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("session run: %w", err)
	}
	if len(raw) < 2 {
		return fmt.Errorf("session run: want [gap, length, id...], got %d values", len(raw))
	}
	var run wireRun
	if err := json.Unmarshal(raw[0], &run.gap); err != nil {
		return fmt.Errorf("session run gap: %w", err)
	}
	if err := json.Unmarshal(raw[1], &run.length); err != nil {
		return fmt.Errorf("session run length: %w", err)
	}
	for i, m := range raw[2:] {
		var id string
		if err := json.Unmarshal(m, &id); err != nil {
			return fmt.Errorf("session run id %d: %w", i+1, err)
		}
		run.ids = append(run.ids, id)
	}
	*r = run
	return nil
}

// MarshalJSON writes {"runs":[[gap,length,id...],...],"before":n}.
func (h SessionHistory) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 16+16*len(h.Runs))
	b = append(b, `{"runs":[`...)
	var end int64
	for i, r := range h.Runs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = strconv.AppendInt(b, r.Start-end, 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, r.End-r.Start, 10)
		for _, id := range r.IDs {
			var err error
			if b, err = appendJSONString(append(b, ','), id); err != nil {
				return nil, err
			}
		}
		b = append(b, ']')
		end = r.End
	}
	b = append(b, ']')
	if h.Before != 0 {
		b = append(b, `,"before":`...)
		b = strconv.AppendInt(b, h.Before, 10)
	}
	return append(b, '}'), nil
}

// UnmarshalJSON reads what MarshalJSON writes, refusing runs out of
// order or of negative length.
func (h *SessionHistory) UnmarshalJSON(b []byte) error {
	out, ok := parseSessionHistory(b)
	if !ok {
		var err error
		if out, err = decodeSessionHistory(b); err != nil {
			return err
		}
	}
	*h = out
	return nil
}

// decodeSessionHistory reads any JSON form of runs through encoding/json.
func decodeSessionHistory(b []byte) (SessionHistory, error) {
	var wire struct {
		Runs   []wireRun `json:"runs"`
		Before int64     `json:"before"`
	}
	if err := json.Unmarshal(b, &wire); err != nil {
		return SessionHistory{}, fmt.Errorf("session history: %w", err)
	}
	out := SessionHistory{Before: wire.Before}
	if len(wire.Runs) > 0 {
		out.Runs = make([]SessionRun, len(wire.Runs))
	}
	var end int64
	for i, w := range wire.Runs {
		start, ok := addInt64(end, w.gap)
		if ok {
			end, ok = addInt64(start, w.length)
		}
		if !ok || w.length < 0 || (i > 0 && w.gap <= 0) {
			return SessionHistory{}, fmt.Errorf("session history: run %d has gap %d and length %d", i+1, w.gap, w.length)
		}
		out.Runs[i] = SessionRun{Start: start, End: end, IDs: w.ids}
	}
	return out, nil
}

// SessionHistory is what a profile's session count is made of: its runs
// over the last HistoryDays days before its latest, and the sessions of
// older runs. Counting from runs rather than from the previous event
// makes the count a function of the events' times and session ids alone:
// the same whatever order the events arrive in and whichever of two
// merged profiles saw them first, for events within HistoryDays of the
// profile's latest run. At the window's edge it is not: an event more than
// HistoryDays older than the latest run, arriving after it, is not
// counted (its run may already be in Before), and one just inside the
// window within SessionGap of a run already folded into Before counts a
// session of its own, where arriving first it would have joined that run.
// The same window bounds the daily event history.
type SessionHistory struct {
	// Runs are sorted by Start; consecutive runs are more than SessionGap
	// apart.
	Runs []SessionRun `json:"runs,omitempty"`
	// Before counts the sessions of runs that fell out of the window.
	Before int64 `json:"before,omitempty"`
}

// Count is the number of sessions.
func (h *SessionHistory) Count() int64 {
	n := h.Before
	for _, r := range h.Runs {
		n += r.Sessions()
	}
	return n
}

// IsZero reports whether h holds nothing, so JSON leaves it out.
func (h SessionHistory) IsZero() bool { return len(h.Runs) == 0 && h.Before == 0 }

// Add counts an event at t with session id id ("" for none), keeping
// keepDays days of runs back from the latest.
func (h *SessionHistory) Add(t time.Time, id string, keepDays int) {
	if t.IsZero() {
		return
	}
	run := SessionRun{Start: t.Unix(), End: t.Unix()}
	if id != "" {
		run.IDs = []string{id}
	}
	// Older than the window: its session may already be in Before.
	if n := len(h.Runs); n > 0 && run.End < h.Runs[n-1].End-window(keepDays) {
		return
	}
	h.insert(run)
	h.seal(keepDays)
}

// Merge adds other's runs and sessions into h, as when two profiles of one
// person merge. Runs older than the merged window count in Before, as
// they would had one profile seen every event.
func (h *SessionHistory) Merge(other *SessionHistory, keepDays int) {
	cutoff := max(h.latest(), other.latest()) - window(keepDays)
	for _, r := range other.Runs {
		if r.End < cutoff {
			h.Before += r.Sessions()
		} else {
			h.insert(r)
		}
	}
	h.Before += other.Before
	h.seal(keepDays)
}

// latest is the end of the latest run, or the smallest time without one.
func (h *SessionHistory) latest() int64 {
	if n := len(h.Runs); n > 0 {
		return h.Runs[n-1].End
	}
	return math.MinInt64 / 2
}

// Clone returns a deep copy.
func (h SessionHistory) Clone() SessionHistory {
	c := SessionHistory{Before: h.Before}
	if h.Runs != nil {
		c.Runs = make([]SessionRun, len(h.Runs))
		for i, r := range h.Runs {
			r.IDs = slices.Clone(r.IDs)
			c.Runs[i] = r
		}
	}
	return c
}

// insert joins r to the runs it comes within SessionGap of, or adds it as
// a run of its own.
func (h *SessionHistory) insert(r SessionRun) {
	gap := int64(SessionGap / time.Second)
	// Runs i..j-1 touch r: they end no more than gap before it starts and
	// start no more than gap after it ends.
	i := sort.Search(len(h.Runs), func(k int) bool { return h.Runs[k].End+gap >= r.Start })
	j := sort.Search(len(h.Runs), func(k int) bool { return h.Runs[k].Start-gap > r.End })
	if i < j {
		r = joinRuns(r, h.Runs[i:j])
	} else {
		r.IDs = slices.Clone(r.IDs)
	}
	h.Runs = slices.Replace(h.Runs, i, max(i, j), r)
}

// joinRuns returns one run spanning r and runs, with their ids.
func joinRuns(r SessionRun, runs []SessionRun) SessionRun {
	out := SessionRun{Start: r.Start, End: r.End, IDs: slices.Clone(r.IDs)}
	for _, x := range runs {
		out.Start, out.End = min(out.Start, x.Start), max(out.End, x.End)
		out.IDs = append(out.IDs, x.IDs...)
	}
	slices.Sort(out.IDs)
	out.IDs = slices.Compact(out.IDs)
	// The smallest ids, not the first seen: the same whatever the order.
	if len(out.IDs) > MaxRunSessionIDs {
		out.IDs = out.IDs[:MaxRunSessionIDs]
	}
	return out
}

// seal folds the runs that ended more than keepDays before the latest run
// into Before.
func (h *SessionHistory) seal(keepDays int) {
	n := len(h.Runs)
	if n == 0 {
		return
	}
	cutoff := h.Runs[n-1].End - window(keepDays)
	k := 0
	for k < n && h.Runs[k].End < cutoff {
		h.Before += h.Runs[k].Sessions()
		k++
	}
	if k > 0 {
		h.Runs = slices.Delete(h.Runs, 0, k)
	}
}

// addInt64 returns a+b, and false when it overflows.
func addInt64(a, b int64) (int64, bool) {
	s := a + b
	return s, (b >= 0) == (s >= a)
}

// window is keepDays in seconds.
func window(keepDays int) int64 { return int64(max(keepDays, 1)) * 86400 }

// parseSessionHistory reads the exact form MarshalJSON writes, runs in
// order. It reports false for anything else.
func parseSessionHistory(b []byte) (SessionHistory, bool) {
	var h SessionHistory
	p := jsonCursor{b: b}
	if !p.word(`{"runs":[`) {
		return h, false
	}
	var end int64
	for first := true; !p.eat(']'); first = false {
		if !first && !p.eat(',') {
			return h, false
		}
		if !p.eat('[') {
			return h, false
		}
		gap, ok := p.int()
		if !ok || !p.eat(',') || (!first && gap <= 0) {
			return h, false
		}
		length, ok := p.int()
		if !ok || length < 0 {
			return h, false
		}
		start, ok := addInt64(end, gap)
		if !ok {
			return h, false
		}
		stop, ok := addInt64(start, length)
		if !ok {
			return h, false
		}
		run := SessionRun{Start: start, End: stop}
		for !p.eat(']') {
			id, ok := "", p.eat(',')
			if ok {
				id, ok = p.name()
			}
			if !ok {
				return h, false
			}
			run.IDs = append(run.IDs, id)
		}
		h.Runs = append(h.Runs, run)
		end = run.End
	}
	if p.word(`,"before":`) {
		n, ok := p.int()
		if !ok {
			return h, false
		}
		h.Before = n
	}
	return h, p.eat('}') && len(p.b) == 0
}

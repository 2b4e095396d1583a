package profile_test

import (
	"testing"

	"github.com/rapportdev/rapport"
)

func withContext(ev *rapport.Event, ctx map[string]any) *rapport.Event {
	ev.Context = ctx
	return ev
}

func TestSessions(t *testing.T) {
	sid := func(ev *rapport.Event, id any) *rapport.Event {
		return withContext(ev, map[string]any{"sessionId": id})
	}
	tests := []struct {
		name    string
		batches [][]*rapport.Event
		want    int64
	}{
		{"one event", [][]*rapport.Event{{page("a", 0)}}, 1},
		{"within 30 minutes", [][]*rapport.Event{{page("a", 0), page("a", 29), page("a", 58)}}, 1},
		{"gap over 30 minutes", [][]*rapport.Event{{page("a", 0), page("a", 31)}, {page("a", 100)}}, 3},
		{"exactly 30 minutes", [][]*rapport.Event{{page("a", 0), page("a", 30)}}, 1},
		{"late older event counts its own session", [][]*rapport.Event{{page("a", 100), page("a", 0)}}, 2},
		{"late event joins the session it belongs to", [][]*rapport.Event{{page("a", 100), page("a", 50)}, {page("a", 75)}}, 1},
		{"same session ids over a gap count once per run", [][]*rapport.Event{{sid(page("a", 0), "s1"), sid(page("a", 45), "s1")}}, 2},
		{"older than the window is not counted", [][]*rapport.Event{{page("a", 0)}, {page("a", -(rapport.HistoryDays+1)*24*60)}}, 1},
		{"session ids change", [][]*rapport.Event{{sid(page("a", 0), 1700000000000.0), sid(page("a", 1), 1700000000000.0), sid(page("a", 2), "s2")}}, 2},
		{"session id remembered across batches", [][]*rapport.Event{{sid(page("a", 0), "s1")}, {sid(page("a", 5), "s1")}, {sid(page("a", 6), "s2")}}, 2},
		{"session id of wrong shape falls back", [][]*rapport.Event{{sid(page("a", 0), map[string]any{}), sid(page("a", 90), []any{1})}}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newMemView()
			for _, b := range tt.batches {
				v.apply(t, b...)
			}
			if got := v.anon(t, "a").Aggregates.Sessions; got != tt.want {
				t.Errorf("sessions = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestAggregates(t *testing.T) {
	lib := func(name string) map[string]any { return map[string]any{"library": map[string]any{"name": name}} }
	v := newMemView()
	v.apply(t,
		withContext(page("a", 10), lib("analytics.js")),
		withContext(&rapport.Event{Type: rapport.EventScreen, AnonymousID: "a", Timestamp: at(20)}, lib("analytics-ios")),
		withContext(track("", "a", "Signed Up", 5, nil), lib("analytics-node")),
		withContext(track("", "a", "Signed Up", 30, nil), map[string]any{"channel": "In_Store"}),
		withContext(page("a", 40), map[string]any{"channel": 7.0, "library": "not an object"}),
	)
	a := v.anon(t, "a").Aggregates
	if !a.FirstSeen.Equal(at(5)) || !a.LastSeen.Equal(at(40)) {
		t.Errorf("first, last seen = %v, %v, want %v, %v", a.FirstSeen, a.LastSeen, at(5), at(40))
	}
	wantEvents := map[string]int64{"page": 2, "screen": 1, "Signed Up": 2}
	for k, want := range wantEvents {
		if got := a.Events[k]; got != want {
			t.Errorf("events[%s] = %d, want %d", k, got, want)
		}
	}
	wantChannels := map[string]int64{"web": 1, "mobile": 1, "server": 2, "in-store": 1}
	for k, want := range wantChannels {
		if got := a.Channels[k]; got != want {
			t.Errorf("channels[%s] = %d, want %d (all: %v)", k, got, want, a.Channels)
		}
	}
	if a.PageViews != 2 || a.Screens != 1 {
		t.Errorf("page views, screens = %d, %d, want 2, 1", a.PageViews, a.Screens)
	}
	if a.Sessions != 1 {
		t.Errorf("sessions = %d, want 1", a.Sessions)
	}
}

func TestMergeAddsAggregates(t *testing.T) {
	v := newMemView()
	v.apply(t, page("a", 0), page("a", 100), track("", "b", "Order Completed", 50, map[string]any{"order_id": "o1", "revenue": 30.0}))
	v.apply(t, identify("", "a", 200, map[string]any{"email": "x@y.z"}), identify("", "b", 210, map[string]any{"email": "x@y.z"}))
	p := v.anon(t, "a")
	if v.anon(t, "b") != p {
		t.Fatalf("a and b not merged")
	}
	a := p.Aggregates
	if a.PageViews != 2 || a.Orders != 1 || a.Revenue != 30 || a.AverageOrderValue != 30 {
		t.Errorf("page views, orders, revenue, aov = %d, %d, %v, %v, want 2, 1, 30, 30", a.PageViews, a.Orders, a.Revenue, a.AverageOrderValue)
	}
	if a.Sessions != 4 {
		t.Errorf("sessions = %d, want 4 (runs at 0, 50, 100 and 200-210 minutes)", a.Sessions)
	}
	if !a.FirstSeen.Equal(at(0)) || !a.LastSeen.Equal(at(210)) || !a.FirstOrderAt.Equal(at(50)) {
		t.Errorf("first seen, last seen, first order = %v, %v, %v", a.FirstSeen, a.LastSeen, a.FirstOrderAt)
	}
	if got := len(v.orders[p.ID]); got != 1 {
		t.Errorf("ledger = %d orders, want 1 moved to the survivor", got)
	}
}

// TestProfileStoredBeforeRuns continues from what an older version stored:
// a session count without runs, and events without first times.
func TestProfileStoredBeforeRuns(t *testing.T) {
	v := newMemView()
	v.apply(t, page("a", 0))
	p := v.anon(t, "a")
	a := &p.Aggregates
	a.SessionRuns, a.Firsts = rapport.SessionHistory{}, rapport.Firsts{}
	a.Sessions, a.LastSeen = 3, at(100)
	v.apply(t, page("a", 110))
	if got := v.anon(t, "a").Aggregates; got.Sessions != 3 || !got.Firsts.Partial {
		t.Fatalf("event 10 minutes after the stored last seen: %d sessions, firsts %+v; want 3, partial", got.Sessions, got.Firsts)
	}
	v.apply(t, page("a", 200))
	if got := v.anon(t, "a").Aggregates.Sessions; got != 4 {
		t.Errorf("event 90 minutes later: %d sessions, want 4", got)
	}
	v.apply(t, page("b", 300), identify("u", "a", 310, nil), identify("u", "b", 320, nil))
	if got := v.user(t, "u").Aggregates; !got.Firsts.Partial || got.Sessions != 5 {
		t.Errorf("merged with a new profile: %d sessions, firsts %+v; want 5, partial", got.Sessions, got.Firsts)
	}
}

// TestSessionsOfMergesAtTheEdges: a stored profile without runs keeps its
// own last session when it survives a merge, and an old anonymous visit
// merged into a profile whose window has moved on still counts.
func TestSessionsOfMergesAtTheEdges(t *testing.T) {
	v := newMemView()
	v.apply(t, identify("u", "a", 0, nil))
	a := &v.user(t, "u").Aggregates
	a.SessionRuns, a.Firsts = rapport.SessionHistory{}, rapport.Firsts{}
	a.Sessions, a.LastSeen = 3, at(100)
	v.apply(t, page("b", 200))
	v.apply(t, identify("u", "b", 205, nil))
	if got := v.user(t, "u").Aggregates.Sessions; got != 4 {
		t.Errorf("stored profile merged: %d sessions, want 4 (3 ending at minute 100, and 200-205)", got)
	}

	day := 24 * 60
	one := newMemView()
	one.apply(t, identify("u", "a", 0, nil))
	one.apply(t, track("u", "", "X", 500*day, nil))
	merged := newMemView()
	merged.apply(t, page("a", 0))
	merged.apply(t, track("u", "", "X", 500*day, nil))
	merged.apply(t, identify("u", "a", 500*day+1, nil))
	if a, b := one.user(t, "u").Aggregates.Sessions, merged.user(t, "u").Aggregates.Sessions; a != b || a != 2 {
		t.Errorf("an old visit: %d sessions on one profile, %d merged; want 2 both", a, b)
	}
}

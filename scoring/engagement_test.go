package scoring_test

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/scoring"
)

// typeState returns the state of the named interaction type.
func typeState(t *testing.T, st *scoring.State, name string) scoring.TypeState {
	t.Helper()
	for _, ts := range st.Types {
		if ts.Type == name {
			return ts
		}
	}
	t.Fatalf("no type %q in state", name)
	return scoring.TypeState{}
}

func TestEngagementHalfLife(t *testing.T) {
	m := small(t) // half-life 10d, half_score 10, a visit is 10 points
	tests := []struct {
		age  time.Duration
		want float64 // 100 × (1 − 2^(−points/10))
	}{
		{0, 50},
		{10 * day, round1(100 * (1 - math.Exp2(-0.5)))},
		{20 * day, round1(100 * (1 - math.Exp2(-0.25)))},
		{100 * day, round1(100 * (1 - math.Exp2(-10.0/1024/10)))},
	}
	for _, tt := range tests {
		p := person(nil)
		var st scoring.State
		ev := track(p, "Store Visited", now.Add(-tt.age))
		scoring.Score(m, p, &st, ev, ev.Timestamp)
		r, _ := scoring.Rescore(m, p, &st, now)
		if r.Engagement.Score != tt.want {
			t.Errorf("visit %v ago: engagement %v, want %v", tt.age, r.Engagement.Score, tt.want)
		}
	}

	// Exactly half is left after one half-life: 10 decays to 5, plus 10.
	p := person(nil)
	var st scoring.State
	scoring.Score(m, p, &st, track(p, "Store Visited", now.Add(-10*day)), now.Add(-10*day))
	scoring.Score(m, p, &st, track(p, "Store Visited", now), now)
	if got := typeState(t, &st, "visit").Points; got != 15 {
		t.Errorf("points after a half-life and a new visit = %v, want exactly 15", got)
	}
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

func TestEngagementDailyCap(t *testing.T) {
	m := small(t) // page views: 1 point, 20 a day
	p := person(nil)
	var st scoring.State
	day1 := now.Add(-day).Truncate(day)
	for i := range 1000 {
		ev := page(p, day1.Add(time.Duration(i)*time.Second))
		scoring.Score(m, p, &st, ev, ev.Timestamp)
	}
	if ts := typeState(t, &st, "view"); ts.Count != 20 || ts.Capped != 980 || ts.Earned != 20 {
		t.Fatalf("a refresh loop of 1000 views: counted %d, capped %d, earned %v; want 20, 980, 20",
			ts.Count, ts.Capped, ts.Earned)
	}
	steps := []struct {
		name            string
		at              time.Time
		n               int
		counted, capped int64
	}{
		{"the next day counts again", day1.Add(day + time.Hour), 25, 40, 985},
		{"a late event of the full previous day is capped", day1.Add(2 * time.Hour), 1, 40, 986},
		{"older days share one capped counter", day1.Add(-5 * day), 25, 60, 991},
		{"two days later every counter starts afresh", day1.Add(3 * day), 1, 61, 991},
		{"and the older counter too", day1.Add(-5 * day), 1, 62, 991},
	}
	for _, s := range steps {
		for range s.n {
			scoring.Score(m, p, &st, page(p, s.at), now.Add(5*day))
		}
		if ts := typeState(t, &st, "view"); ts.Count != s.counted || ts.Capped != s.capped {
			t.Errorf("%s: counted %d, capped %d; want %d, %d", s.name, ts.Count, ts.Capped, s.counted, s.capped)
		}
	}
}

func TestEngagementOutOfOrder(t *testing.T) {
	m := small(t)
	times := []time.Duration{40 * day, 3 * day, 17 * day, 0, 25*day + 7*time.Hour, 9 * day}
	score := func(order []time.Duration) (scoring.Result, scoring.State) {
		p := person(nil)
		var st scoring.State
		for _, age := range order {
			scoring.Score(m, p, &st, track(p, "Store Visited", now.Add(-age)), now)
		}
		r, _ := scoring.Rescore(m, p, &st, now)
		return r, st
	}
	inOrder, stIn := score([]time.Duration{40 * day, 25*day + 7*time.Hour, 17 * day, 9 * day, 3 * day, 0})
	shuffled, stOut := score(times)
	want := 0.0
	for _, age := range times {
		want += 10 * math.Exp2(-float64(age)/float64(10*day))
	}
	for _, st := range []scoring.State{stIn, stOut} {
		if got := st.Types[1].Points; math.Abs(got-want) > 1e-9 {
			t.Errorf("decayed points = %v, want %v", got, want)
		}
	}
	if inOrder.Engagement != shuffled.Engagement {
		t.Errorf("engagement in order %v, out of order %v; want equal", inOrder.Engagement, shuffled.Engagement)
	}
}

func TestEngagementMatching(t *testing.T) {
	m := small(t)
	ev := func(name string, ctx, props map[string]any) *rapport.Event {
		return &rapport.Event{Type: rapport.EventTrack, Event: name, Context: ctx, Properties: props, Timestamp: now}
	}
	tests := []struct {
		name string
		ev   *rapport.Event
		want string // type counted, "" for none
	}{
		{"channel matches case-insensitively", ev("Order Completed", map[string]any{"channel": "In-Store"}, nil), "store_order"},
		{"wrong channel", ev("Order Completed", map[string]any{"channel": "web"}, nil), ""},
		{"event names compare case-insensitively", ev("store visited", nil, nil), "visit"},
		{"property among values", ev("Form Submitted", nil, map[string]any{"form": "Demo"}), "tagged"},
		{"property not among values", ev("Form Submitted", nil, map[string]any{"form": "newsletter"}), ""},
		{"property missing", ev("Form Submitted", nil, nil), ""},
		{"page call", &rapport.Event{Type: rapport.EventPage, Timestamp: now}, "view"},
		{"unknown event", ev("Something Else", nil, nil), ""},
	}
	for _, tt := range tests {
		var st scoring.State
		scoring.Score(m, person(nil), &st, tt.ev, now)
		got := ""
		for _, ts := range st.Types {
			if ts.Count > 0 {
				got = ts.Type
			}
		}
		if got != tt.want {
			t.Errorf("%s: counted as %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestEngagementFutureEventCountsAsNow(t *testing.T) {
	m := small(t)
	p := person(nil)
	var st scoring.State
	r, _ := scoring.Score(m, p, &st, track(p, "Store Visited", now.Add(30*day)), now)
	if r.Engagement.Score != 50 || !st.EngagedAt.Equal(now) {
		t.Errorf("event from the future: engagement %v at %v, want 50 at now", r.Engagement.Score, st.EngagedAt)
	}
}

func TestStateJSONRoundTrip(t *testing.T) {
	m := small(t)
	p := person(nil, "email:a@example.com")
	var st scoring.State
	for i := range 5 {
		at := now.Add(-time.Duration(40-i*10) * day)
		scoring.Score(m, p, &st, order(p, at, "c"), at)
		scoring.Score(m, p, &st, track(p, "Store Visited", at), at)
	}
	b, err := json.Marshal(&st)
	if err != nil {
		t.Fatal(err)
	}
	var back scoring.State
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	want, _ := scoring.Rescore(m, p, &st, now)
	got, _ := scoring.Rescore(m, p, &back, now)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("after a JSON round trip:\n got %+v\nwant %+v", got, want)
	}
}

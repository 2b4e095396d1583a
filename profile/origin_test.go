package profile

import (
	"maps"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
)

func TestOrigin(t *testing.T) {
	chrome := "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"
	edge := chrome + " Edg/124.0"
	safari := "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
	// A Saturday, 23:30 UTC: Sunday 08:30 in Tokyo.
	at := time.Date(2026, 3, 7, 23, 30, 0, 0, time.UTC)
	for _, tt := range []struct {
		name string
		ev   rapport.Event
		want rapport.Aggregates
	}{
		{"chrome from instagram", rapport.Event{Type: rapport.EventPage, Context: map[string]any{"userAgent": chrome,
			"campaign": map[string]any{"source": "Instagram"}, "page": map[string]any{"referrer": "https://www.google.com/"}}},
			rapport.Aggregates{Browsers: map[string]int64{"Chrome": 1}, Referrers: map[string]int64{"instagram": 1}}},
		{"edge from a referrer", rapport.Event{Type: rapport.EventPage, Context: map[string]any{"userAgent": edge,
			"page": map[string]any{"referrer": "https://www.Example.org/post?id=1"}}},
			rapport.Aggregates{Browsers: map[string]int64{"Edge": 1}, Referrers: map[string]int64{"example.org": 1}}},
		{"order in the buyer's time zone", rapport.Event{Type: rapport.EventTrack, Event: rapport.EventOrderCompleted,
			Context: map[string]any{"userAgent": safari, "timezone": "Asia/Tokyo"}},
			rapport.Aggregates{Browsers: map[string]int64{"Safari": 1}, OrderWeekdays: map[string]int64{"sun": 1},
				OrderDayparts: map[string]int64{"morning": 1}}},
		{"order, unknown zone: UTC", rapport.Event{Type: rapport.EventTrack, Event: rapport.EventOrderCompleted,
			Context: map[string]any{"timezone": "Mars/Olympus"}},
			rapport.Aggregates{OrderWeekdays: map[string]int64{"sat": 1}, OrderDayparts: map[string]int64{"evening": 1}}},
		{"nothing to read", rapport.Event{Type: rapport.EventTrack, Event: "Viewed", Context: map[string]any{"page": map[string]any{"referrer": "not a url"}}},
			rapport.Aggregates{}},
	} {
		var a rapport.Aggregates
		origin(&a, &tt.ev, at)
		for name, pair := range map[string][2]map[string]int64{
			"browsers": {a.Browsers, tt.want.Browsers}, "referrers": {a.Referrers, tt.want.Referrers},
			"weekdays": {a.OrderWeekdays, tt.want.OrderWeekdays}, "dayparts": {a.OrderDayparts, tt.want.OrderDayparts},
		} {
			if !maps.Equal(pair[0], pair[1]) {
				t.Errorf("%s: %s = %v, want %v", tt.name, name, pair[0], pair[1])
			}
		}
	}
}

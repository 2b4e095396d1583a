package http

import (
	"fmt"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
)

var guardStart = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// eventsFor returns one track event per user id given.
func eventsFor(userIDs ...string) []rapport.Event {
	events := make([]rapport.Event, len(userIDs))
	for i, id := range userIDs {
		events[i] = rapport.Event{Type: rapport.EventTrack, UserID: id}
	}
	return events
}

func TestRateGuard(t *testing.T) {
	g := newRateGuard(1, 3)
	steps := []struct {
		name  string
		after time.Duration
		users []string
		want  bool
	}{
		{"burst", 0, []string{"a", "a", "a"}, true},
		{"over the burst", 0, []string{"a"}, false},
		{"other profile unaffected", 0, []string{"b"}, true},
		{"one token refilled", time.Second, []string{"a"}, true},
		{"and only one", time.Second, []string{"a"}, false},
		{"all or nothing", time.Second, []string{"c", "c", "a"}, false},
		{"nothing taken from c", time.Second, []string{"c", "c", "c"}, true},
		{"clock going back earns nothing", 0, []string{"a"}, false},
		{"full again after idling", 10 * time.Second, []string{"a", "a", "a"}, true},
		{"more than the burst is never allowed", time.Hour, []string{"d", "d", "d", "d"}, false},
	}
	for _, st := range steps {
		if got := g.allowEvents(guardStart.Add(st.after), eventsFor(st.users...)); got != st.want {
			t.Errorf("%s: allowed %v, want %v", st.name, got, st.want)
		}
	}
}

func TestRateGuardEvictsIdleBuckets(t *testing.T) {
	g := newRateGuard(25, 100)
	const waves, perWave = 5, 50_000
	for w := range waves {
		now := guardStart.Add(time.Duration(w) * time.Minute) // earlier waves have refilled
		for i := range perWave {
			g.allowEvents(now, eventsFor(fmt.Sprintf("w%d-u%d", w, i)))
		}
	}
	// Only the last wave is still refilling; sweeps leave at most about
	// twice that, never the sum of all waves.
	if got, limit := g.size(), 2*perWave+rateShards*minSweep; got > limit {
		t.Errorf("buckets kept: got %d, want at most %d of %d keys seen", got, limit, waves*perWave)
	}
}

// BenchmarkRateGuard measures checks of single-event requests over many
// profiles, the hot path of the live endpoints.
func BenchmarkRateGuard(b *testing.B) {
	g := newRateGuard(25, 100)
	events := make([][]rapport.Event, 10_000)
	for i := range events {
		events[i] = eventsFor(fmt.Sprintf("user-%d", i))
	}
	b.ResetTimer()
	i := 0
	for b.Loop() {
		g.allowEvents(guardStart.Add(time.Duration(i)*time.Microsecond), events[i%len(events)])
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "checks/s")
}

// BenchmarkRateGuardBatch measures a batch of 100 events over 10
// profiles, per event checked.
func BenchmarkRateGuardBatch(b *testing.B) {
	g := newRateGuard(1e9, 1e9)
	users := make([]string, 100)
	for i := range users {
		users[i] = fmt.Sprintf("user-%d", i%10)
	}
	batch := eventsFor(users...)
	for b.Loop() {
		g.allowEvents(guardStart, batch)
	}
	b.ReportMetric(float64(b.N*len(batch))/b.Elapsed().Seconds(), "events/s")
}

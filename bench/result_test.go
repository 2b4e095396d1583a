package bench

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	var samples []time.Duration
	for i := 1; i <= 100; i++ {
		samples = append(samples, time.Duration(i)*time.Millisecond)
	}
	tests := []struct {
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{samples, 50, 50 * time.Millisecond},
		{samples, 90, 90 * time.Millisecond},
		{samples, 99, 99 * time.Millisecond},
		{samples, 100, 100 * time.Millisecond},
		{samples[:1], 99, time.Millisecond},
		{samples[:3], 50, 2 * time.Millisecond},
		{samples[:3], 0, time.Millisecond},
	}
	for _, tt := range tests {
		if got := percentile(tt.sorted, tt.p); got != tt.want {
			t.Errorf("percentile(%d samples, %v) = %v, want %v", len(tt.sorted), tt.p, got, tt.want)
		}
	}
}

func TestSummarize(t *testing.T) {
	l := summarize([]time.Duration{4 * time.Millisecond, time.Millisecond, 3 * time.Millisecond, 2 * time.Millisecond})
	want := Latency{Samples: 4, MeanMs: 2.5, P50Ms: 2, P90Ms: 4, P99Ms: 4, MaxMs: 4}
	if l != want {
		t.Errorf("summarize = %+v, want %+v", l, want)
	}
	if (summarize(nil) != Latency{}) {
		t.Error("summarize(nil) is not zero")
	}
}

func TestResultTextAndJSON(t *testing.T) {
	r := &Result{Mode: ModeBatch, URL: "http://127.0.0.1:8080", Concurrency: 8, BatchSize: 100, Seconds: 2,
		Requests: 10, Failed: 1, EventsSent: 1000, EventsAcked: 900, EventsPerSecond: 450, RequestsPerSecond: 5,
		Latency: Latency{Samples: 9, P50Ms: 1.5, P90Ms: 2, P99Ms: 3, MaxMs: 3, MeanMs: 1.7}, Errors: map[string]int64{"503": 1}}
	var buf bytes.Buffer
	r.WriteText(&buf)
	for _, want := range []string{"8 clients × 100 messages", "900 acknowledged of 1000 sent: 450.0 events/s", "p99 3.00 ms", "error     503: 1"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, buf.String())
		}
	}
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back Result
	if err := json.Unmarshal(data, &back); err != nil || back.Latency != r.Latency || back.EventsAcked != 900 || back.Errors["503"] != 1 {
		t.Errorf("JSON round trip = %+v, %v", back, err)
	}
	if !strings.Contains(string(data), `"p99Ms":3`) {
		t.Errorf("JSON = %s, want p99Ms", data)
	}
}

func TestGeneratorIsRepeatable(t *testing.T) {
	cfg := Config{Seed: 7, Profiles: 50}.withDefaults()
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	a, b := newGenerator(cfg, "run", 0), newGenerator(cfg, "run", 0)
	for range 200 {
		ma, mb := a.next(now), b.next(now)
		ja, _ := json.Marshal(ma)
		jb, _ := json.Marshal(mb)
		if !bytes.Equal(ja, jb) {
			t.Fatalf("same seed, different messages:\n%s\n%s", ja, jb)
		}
		if ma.UserID != "" && !strings.HasPrefix(ma.UserID, "user-") {
			t.Fatalf("userId %q", ma.UserID)
		}
	}
}

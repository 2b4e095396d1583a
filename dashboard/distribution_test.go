package dashboard_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/dashboard"
)

// slowCounts is a store whose counts of one grade or stage take as long
// as they do over a million scores.
type slowCounts struct {
	rapport.Store
	delay time.Duration
}

func (s slowCounts) FindLeads(ctx context.Context, f rapport.LeadFilter) ([]rapport.ScoreRecord, int, error) {
	if len(f.Grades)+len(f.Stages) == 1 && f.Limit == 1 {
		time.Sleep(s.delay)
	}
	return s.Store.FindLeads(ctx, f)
}

// TestSlowCountsDoNotHoldThePage: the leads page waits for the
// distribution a moment only, and shows it once it is counted.
func TestSlowCountsDoNotHoldThePage(t *testing.T) {
	f := newFixture(t)
	h, err := dashboard.New(dashboard.Config{Store: slowCounts{Store: f.store, delay: 200 * time.Millisecond},
		Clock: f.clock, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), SessionKey: testSessionKey})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	g := *f
	g.srv = srv
	c := g.signedIn(t)

	start := time.Now()
	expect(t, "first view", c.get(t, "/leads"), 200, []string{"being counted", "Ranked leads"}, []string{`id="grade-chart"`})
	if took := time.Since(start); took > 1500*time.Millisecond {
		t.Errorf("the first view took %s; it should wait for the 2.4 s of counts at most 300 ms", took)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(c.get(t, "/leads").body, `id="grade-chart"`) {
		if time.Now().After(deadline) {
			t.Fatal("the distribution was not shown once counted")
		}
		time.Sleep(100 * time.Millisecond)
	}
	expect(t, "once counted", c.get(t, "/leads"), 200, []string{"3 scored profiles"}, nil)
}

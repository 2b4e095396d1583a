package decide_test

import (
	"context"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/decide"
)

// TestRunUpkeepSweepsWithoutSweepConfigured: a process that does not
// sweep in Run (a worker of the partitioned deployment) records ignores
// when it holds the upkeep and runs RunUpkeep.
func TestRunUpkeepSweepsWithoutSweepConfigured(t *testing.T) {
	f := newFixture(t, policy(), func(c *decide.Config) { c.Sweep, c.SweepEvery = false, 10*time.Millisecond })
	ctx := context.Background()
	d := f.decide(t, decide.Request{ProfileID: "p_ann", Context: rapport.DecisionContext{Channel: "web", Zone: "deli"}})
	f.outcomes(t, decide.OutcomeRequest{DecisionID: d.ID, OfferID: "deli", Type: "shown"})
	f.clock.add(2 * time.Hour)

	ignored := func() int {
		history, err := f.store.FindOutcomes(ctx, rapport.OutcomeFilter{ProfileID: "p_ann"})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, o := range history {
			if o.Type == rapport.OutcomeIgnored {
				n++
			}
		}
		return n
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() { done <- f.svc.Run(runCtx) }()
	time.Sleep(50 * time.Millisecond)
	if n := ignored(); n != 0 {
		t.Fatalf("Run without Sweep recorded %d ignores", n)
	}
	go func() { done <- f.svc.RunUpkeep(runCtx) }()
	deadline := time.Now().Add(10 * time.Second)
	for ignored() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	<-done
	if n := ignored(); n != 1 {
		t.Errorf("RunUpkeep recorded %d ignores, want 1", n)
	}
}

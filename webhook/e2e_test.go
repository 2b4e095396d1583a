package webhook_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/webhook"
)

// TestOutboxSurvivesCrash writes a notification with profile changes,
// "crashes" (closes the store before any dispatcher ran), reopens it and
// has a new dispatcher deliver it.
func TestOutboxSurvivesCrash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rapport.db")
	rcv := newReceiver(t, 200)
	s := openStore(t, path)
	subscribe(t, s, rcv.srv.URL)
	p := &rapport.Profile{ID: "p_ann", Kind: rapport.ProfilePerson, Traits: map[string]any{}, CreatedAt: start, UpdatedAt: start}
	err := s.ApplyChanges(context.Background(), rapport.Changes{Profiles: []*rapport.Profile{p},
		Notifications: []rapport.Notification{salesReady()}, Base: 0, Checkpoint: 1})
	if err != nil {
		t.Fatalf("ApplyChanges: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}

	s = openStore(t, path)
	deliverDue(t, &webhook.Dispatcher{Store: s, Clock: &clock{now: start}}, 1)
	if got := rcv.requests(); len(got) != 1 || !verify(testSecret, got[0].header, got[0].body) {
		t.Fatalf("receiver got %d requests; want 1 signed", len(got))
	}
	if del := onlyDelivery(t, s); del.State != rapport.DeliveryDelivered {
		t.Fatalf("delivery state %q, want delivered", del.State)
	}
}

// TestRunDeliversOnNotify runs the dispatcher as serve does and sees a
// notification committed with changes reach the receiver.
func TestRunDeliversOnNotify(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "rapport.db"))
	rcv := newReceiver(t, 200)
	subscribe(t, s, rcv.srv.URL)
	d := &webhook.Dispatcher{Store: s, PollInterval: time.Hour} // only Notify wakes it
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	time.Sleep(50 * time.Millisecond) // let Run find the outbox empty and sleep
	err := s.ApplyChanges(context.Background(), rapport.Changes{
		Notifications: []rapport.Notification{salesReady()}, Base: 0, Checkpoint: 1})
	if err != nil {
		t.Fatalf("ApplyChanges: %v", err)
	}
	d.Notify()
	deadline := time.Now().Add(5 * time.Second)
	for len(rcv.requests()) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no delivery 5 s after Notify")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

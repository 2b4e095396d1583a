package webhook_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/webhook"
)

// TestConsentCheckedBeforeSending queues one notification for each of
// three people to a webhook that requires email consent: the one who
// granted it is sent; the one who withdrew it and the one never asked are
// suppressed, and every delivery records the check.
func TestConsentCheckedBeforeSending(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, filepath.Join(t.TempDir(), "rapport.db"))
	rcv := newReceiver(t, 200)
	w := &rapport.Webhook{URL: rcv.srv.URL, Secret: testSecret, Events: []string{"*"}, Active: true, RequiresConsent: "email"}
	if err := s.CreateWebhook(ctx, w); err != nil {
		t.Fatal(err)
	}
	person := func(id string, consents map[string]rapport.Consent) *rapport.Profile {
		return &rapport.Profile{ID: id, Kind: rapport.ProfilePerson, Traits: map[string]any{}, Consents: consents}
	}
	if err := s.ApplyChanges(ctx, rapport.Changes{Checkpoint: 1, Profiles: []*rapport.Profile{
		person("p_yes", map[string]rapport.Consent{"email": {Channel: "email", Granted: true, At: start, MessageID: "m1"}}),
		person("p_withdrew", map[string]rapport.Consent{"email": {Channel: "email", At: start, MessageID: "m2"},
			"sms": {Channel: "sms", Granted: true, At: start, MessageID: "m3"}}),
		person("p_never", nil),
		person("p_anon", nil),
	}}); err != nil {
		t.Fatal(err)
	}
	// p_anon's notification was fired before it turned out to be p_yes.
	if err := s.ApplyChanges(ctx, rapport.Changes{Base: 1, Checkpoint: 2,
		Merges: []rapport.Merge{{From: "p_anon", Into: "p_yes", At: start, Reason: "identify"}}}); err != nil {
		t.Fatal(err)
	}
	var notes []rapport.Notification
	for _, id := range []string{"p_yes", "p_withdrew", "p_never", "p_erased", "p_anon"} {
		n := salesReady()
		n.ProfileID = id
		notes = append(notes, n)
	}
	if err := s.EnqueueNotifications(ctx, notes); err != nil {
		t.Fatal(err)
	}
	deliverDue(t, &webhook.Dispatcher{Store: s, Profiles: s, Clock: &clock{now: start}}, 5)
	if got := rcv.requests(); len(got) != 2 {
		t.Fatalf("receiver got %d requests, want 2 (the person who consented, under both ids)", len(got))
	}
	ds, err := s.FindDeliveries(ctx, rapport.DeliveryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	byProfile := map[string]rapport.Delivery{}
	for _, d := range ds {
		byProfile[d.Notification.ProfileID] = d
	}
	for id, want := range map[string][2]string{
		"p_yes":      {rapport.DeliveryDelivered, rapport.ConsentGranted},
		"p_withdrew": {rapport.DeliverySuppressed, rapport.ConsentRefused},
		"p_never":    {rapport.DeliverySuppressed, rapport.ConsentRefused},
		"p_erased":   {rapport.DeliverySuppressed, rapport.ConsentRefused},
		"p_anon":     {rapport.DeliveryDelivered, rapport.ConsentGranted},
	} {
		d := byProfile[id]
		if d.State != want[0] || d.Consent != want[1] {
			t.Errorf("%s: state %q consent %q, want %q %q (%s)", id, d.State, d.Consent, want[0], want[1], d.LastError)
		}
	}
	// Suppressed deliveries are not due any more.
	deliverDue(t, &webhook.Dispatcher{Store: s, Profiles: s, Clock: &clock{now: start}}, 0)
}

package decide_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/decide"
	"github.com/rapportdev/rapport/offer"
	"github.com/rapportdev/rapport/sqlite"
)

// t0 is a Wednesday noon UTC, when the tests start.
var t0 = time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)

// testClock is a clock the test moves.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// fixture is a service over a SQLite store holding Ann (user ann, in
// segment gourmets, push consent granted, stage loyal_customer) and two
// offers.
type fixture struct {
	store    *sqlite.Store
	svc      *decide.Service
	clock    *testClock
	notified atomic.Int64
}

func ann() *rapport.Profile {
	return &rapport.Profile{ID: "p_ann", Kind: rapport.ProfilePerson,
		Identities: []rapport.Identity{{Kind: rapport.IdentityUserID, Value: "ann"}},
		Traits:     map[string]any{"timezone": "Europe/Paris"},
		Consents: map[string]rapport.Consent{"push": {Channel: "push", Granted: true, At: t0.Add(-24 * time.Hour),
			MessageID: "m-consent"}},
		CreatedAt: t0, UpdatedAt: t0}
}

func newFixture(t *testing.T, policy offer.Policy, options ...func(*decide.Config)) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "rapport.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.PutSegment(ctx, &rapport.Segment{ID: "gourmets", Name: "Gourmets", Kind: rapport.SegmentRule,
		Expression: "true", CreatedAt: t0, UpdatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	if err := st.ApplyChanges(ctx, rapport.Changes{Profiles: []*rapport.Profile{ann()},
		Identities:  []rapport.IdentityLink{{Identity: ann().Identities[0], ProfileID: "p_ann"}},
		Scores:      []rapport.ScoreRecord{{ProfileID: "p_ann", Stage: "loyal_customer", UpdatedAt: t0}},
		Memberships: []rapport.MembershipChange{{SegmentID: "gourmets", ProfileID: "p_ann", Entered: true, At: t0}},
		Checkpoint:  1}); err != nil {
		t.Fatal(err)
	}
	f := &fixture{store: st, clock: &testClock{now: t0}}
	cfg := decide.Config{Store: st, Policy: policy, Clock: f.clock, Seed: 1, Sweep: true,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), OnNotify: func() { f.notified.Add(1) },
		Offers: []*rapport.Offer{
			{ID: "deli", Title: "Deli coupon", Channels: []string{"web", "beacon"}, Eligibility: `zone == "deli" && "gourmets" in segments`,
				Value: 5, Stage: rapport.StageActivation, Window: "1h", Payload: map[string]any{"code": "DELI10"}},
			{ID: "points", Title: "Double points", Channels: []string{"web", "beacon", "email"}, Value: 1, Stage: rapport.StageActivity},
		}}
	for _, o := range options {
		o(&cfg)
	}
	f.svc, err = decide.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Load(ctx); err != nil {
		t.Fatal(err)
	}
	return f
}

// policy is the default without a control group or exploration.
func policy() offer.Policy {
	p := offer.DefaultPolicy()
	p.ControlShare, p.Explore = 0, 0
	return p
}

func (f *fixture) decide(t *testing.T, req decide.Request) *rapport.Decision {
	t.Helper()
	d, err := f.svc.Decide(context.Background(), req)
	if err != nil {
		t.Fatalf("Decide: %v", err)
	}
	return d
}

func (f *fixture) outcomes(t *testing.T, reqs ...decide.OutcomeRequest) []rapport.Outcome {
	t.Helper()
	added, err := f.svc.RecordOutcomes(context.Background(), reqs)
	if err != nil {
		t.Fatalf("RecordOutcomes: %v", err)
	}
	return added
}

func TestDecideByIdentity(t *testing.T) {
	f := newFixture(t, policy())
	d := f.decide(t, decide.Request{Identity: rapport.Identity{Kind: rapport.IdentityUserID, Value: "ann"},
		Context: rapport.DecisionContext{Channel: "beacon", Zone: "deli"}})
	if d.ProfileID != "p_ann" || len(d.Offers) != 2 || d.Arm != "stage:loyal_customer" {
		t.Fatalf("decision %+v: want Ann, both offers, her stage's posteriors", d)
	}
	if d.Consent.Result != rapport.ConsentGranted || d.Consent.MessageID != "m-consent" {
		t.Errorf("consent %+v: want granted by m-consent", d.Consent)
	}
	if err := f.svc.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	stored, err := f.store.FindDecision(context.Background(), d.ID)
	if err != nil || stored.Consent != d.Consent || len(stored.Offers) != 2 {
		t.Fatalf("stored decision %+v, %v: want it recorded with its consent check", stored, err)
	}

	// An identity nobody holds: anyone's offers, no contact channel.
	anon := f.decide(t, decide.Request{Identity: rapport.Identity{Kind: rapport.IdentityAnonymousID, Value: "new-visitor"},
		Context: rapport.DecisionContext{Channel: "web", Zone: "deli"}})
	if anon.ProfileID != "" || len(anon.Offers) != 1 || anon.Offers[0].OfferID != "points" || anon.Arm != offer.ArmAll {
		t.Errorf("unknown visitor: %+v", anon)
	}
	email := f.decide(t, decide.Request{ProfileID: "p_ann", Context: rapport.DecisionContext{Channel: "email"}})
	if email.Blocked != "no consent for email (no record)" || len(email.Offers) != 0 {
		t.Errorf("email without consent: %+v", email)
	}
	for name, req := range map[string]decide.Request{
		"no person":    {Context: rapport.DecisionContext{Channel: "web"}},
		"bad channel":  {ProfileID: "p_ann", Context: rapport.DecisionContext{Channel: "fax"}},
		"bad timezone": {ProfileID: "p_ann", Context: rapport.DecisionContext{Channel: "web", Timezone: "Mars/Base"}},
	} {
		if _, err := f.svc.Decide(context.Background(), req); rapport.ErrorCode(err) != rapport.EINVALID {
			t.Errorf("%s: %v, want invalid", name, err)
		}
	}
	if _, err := f.svc.Decide(context.Background(), decide.Request{ProfileID: "p_nobody",
		Context: rapport.DecisionContext{Channel: "web"}}); rapport.ErrorCode(err) != rapport.ENOTFOUND {
		t.Errorf("unknown profile id: %v, want not found", err)
	}
}

func TestOutcomesTeach(t *testing.T) {
	f := newFixture(t, policy())
	d := f.decide(t, decide.Request{ProfileID: "p_ann", Context: rapport.DecisionContext{Channel: "web", Zone: "deli"}})
	added := f.outcomes(t, decide.OutcomeRequest{DecisionID: d.ID, OfferID: "deli", Type: "shown"},
		decide.OutcomeRequest{DecisionID: d.ID, OfferID: "deli", Type: "converted", Revenue: 12.5})
	if len(added) != 3 || added[0].Due != t0.Add(time.Hour) || added[2].Type != rapport.OutcomeAccepted {
		t.Fatalf("added %+v: want shown (due in the offer's hour), converted and the accept it implies", added)
	}
	if again := f.outcomes(t, decide.OutcomeRequest{DecisionID: d.ID, OfferID: "deli", Type: "accepted"}); len(again) != 0 {
		t.Errorf("a second accept added %+v", again)
	}
	post := f.svc.Engine().Learner().Posterior("deli", d.Arm)
	if post.Answers != 1 || post.Alpha <= post.Beta {
		t.Errorf("posterior %+v: want one accept learned", post)
	}
	for name, r := range map[string]decide.OutcomeRequest{
		"unknown decision":     {DecisionID: "d_nope", OfferID: "deli", Type: "shown"},
		"offer not decided":    {DecisionID: d.ID, OfferID: "wine", Type: "shown"},
		"ignored is ours":      {DecisionID: d.ID, OfferID: "deli", Type: "ignored"},
		"revenue on an accept": {DecisionID: d.ID, OfferID: "points", Type: "accepted", Revenue: 3},
		"unknown type":         {DecisionID: d.ID, OfferID: "deli", Type: "liked"},
	} {
		if _, err := f.svc.RecordOutcomes(context.Background(), []decide.OutcomeRequest{r}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	rep, err := f.svc.Report(context.Background(), time.Time{})
	if err != nil || rep.Overall.Treatment.Accepted != 1 || rep.Overall.Treatment.Revenue != 12.5 {
		t.Errorf("report %+v, %v", rep.Overall, err)
	}
}

// TestIgnoresAndSuppression: shown offers nobody answers become ignores
// once their window passes; after four, the offer is suppressed for the
// person.
func TestIgnoresAndSuppression(t *testing.T) {
	f := newFixture(t, policy())
	ctx := context.Background()
	req := decide.Request{ProfileID: "p_ann", Context: rapport.DecisionContext{Channel: "web", Zone: "deli"}}
	for range 4 {
		d := f.decide(t, req)
		f.outcomes(t, decide.OutcomeRequest{DecisionID: d.ID, OfferID: "deli", Type: "shown"})
		f.clock.add(2 * time.Hour)
		if err := f.svc.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if post := f.svc.Engine().Learner().Posterior("deli", "stage:loyal_customer"); post.Answers != 4 {
		t.Errorf("posterior %+v: want 4 ignores learned", post)
	}
	history, _ := f.store.FindOutcomes(ctx, rapport.OutcomeFilter{ProfileID: "p_ann"})
	ignores := 0
	for _, o := range history {
		if o.Type == rapport.OutcomeIgnored {
			ignores++
		}
	}
	if ignores != 4 {
		t.Errorf("%d ignores recorded, want 4", ignores)
	}
	d := f.decide(t, req)
	if len(d.Offers) != 1 || d.Offers[0].OfferID != "points" || len(d.Excluded) != 1 || d.Excluded[0].OfferID != "deli" {
		t.Fatalf("decision after 4 ignores: offers %+v, excluded %+v; want deli suppressed", d.Offers, d.Excluded)
	}
	f.clock.add(15 * 24 * time.Hour)
	if d := f.decide(t, req); len(d.Offers) != 2 {
		t.Errorf("after the cooldown: %+v, want deli back", d.Offers)
	}
}

// TestTriggerQueuesWebhook: an applied "Beacon Entered" in the deli zone
// fires the trigger, whose decision reaches the outbox of a webhook
// subscribed to offer.decided, and its offer counts as shown.
func TestTriggerQueuesWebhook(t *testing.T) {
	f := newFixture(t, policy())
	ctx := context.Background()
	if err := f.store.CreateWebhook(ctx, &rapport.Webhook{ID: "wh", URL: "http://example.com/hook", Secret: "0123456789abcdef",
		Events: []string{rapport.NotifyOfferDecided}, Active: true, CreatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.PutTrigger(ctx, &rapport.Trigger{ID: "deli-zone", Event: "Beacon Entered",
		Condition: `properties.zone == "deli" && "gourmets" in segments`, Channel: "beacon", CreatedAt: t0, UpdatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() { done <- f.svc.Run(runCtx) }()
	defer func() { cancel(); <-done }()

	event := func(id, zone string, at time.Time) rapport.Event {
		return rapport.Event{MessageID: id, Type: rapport.EventTrack, Event: "Beacon Entered", UserID: "ann",
			Properties: map[string]any{"zone": zone}, Timestamp: at}
	}
	f.svc.OnApplied(rapport.Changes{Profiles: []*rapport.Profile{ann()},
		Events: []rapport.Event{event("m-old", "deli", t0.Add(-time.Hour)), event("m-bakery", "bakery", t0),
			event("m-deli", "deli", t0)}})
	var due []rapport.Delivery
	deadline := time.Now().Add(5 * time.Second)
	for len(due) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
		due, _ = f.store.FindDueDeliveries(ctx, t0.Add(time.Hour), 10)
	}
	if len(due) != 1 {
		t.Fatalf("deliveries %+v: want one, for m-deli alone (m-old is too old, m-bakery fails the condition)", due)
	}
	n := due[0].Notification
	if n.Type != rapport.NotifyOfferDecided || n.ProfileID != "p_ann" || n.Payload["trigger"] != "deli-zone" ||
		n.Payload["messageId"] != "m-deli" || f.notified.Load() != 1 {
		t.Fatalf("notification %+v (notified %d)", n, f.notified.Load())
	}
	// Limit 1: one offer, the deli coupon or double points as Thompson
	// sampling draws them with no data yet.
	offers, _ := n.Payload["offers"].([]any)
	if first, _ := offers[0].(map[string]any); len(offers) != 1 || (first["offerId"] != "deli" && first["offerId"] != "points") ||
		n.Payload["zone"] != "deli" {
		t.Errorf("offers %v in zone %v: want one offer decided in the deli zone", offers, n.Payload["zone"])
	}
	var shown []rapport.Outcome
	for time.Now().Before(deadline) && len(shown) == 0 {
		shown, _ = f.store.FindOutcomes(ctx, rapport.OutcomeFilter{ProfileID: "p_ann"})
		time.Sleep(10 * time.Millisecond)
	}
	if len(shown) != 1 || shown[0].Type != rapport.OutcomeShown || shown[0].Channel != "beacon" {
		t.Errorf("outcomes %+v: want the pushed offer shown", shown)
	}
	if fired, dropped := f.svc.Fired(); fired != 1 || dropped != 0 {
		t.Errorf("fired %d, dropped %d", fired, dropped)
	}
}

func TestCatalogChanges(t *testing.T) {
	f := newFixture(t, policy())
	ctx := context.Background()
	err := f.svc.PutOffer(ctx, &rapport.Offer{ID: "broken", Title: "x", Channels: []string{"web"}, Value: 1,
		Stage: rapport.StageActivity, Eligibility: "orders >"})
	var ce *offer.CompileError
	if !asCompileError(err, &ce) || ce.ID != "broken" || ce.Line != 1 {
		t.Fatalf("broken eligibility: %v, want a compile error", err)
	}
	if err := f.svc.PutOffer(ctx, &rapport.Offer{ID: "report", Title: "x", Channels: []string{"web"}, Value: 1,
		Stage: rapport.StageActivity}); rapport.ErrorCode(err) != rapport.EINVALID {
		t.Errorf("reserved id: %v", err)
	}
	if err := f.svc.DeleteOffer(ctx, "points"); err != nil {
		t.Fatal(err)
	}
	d := f.decide(t, decide.Request{ProfileID: "p_ann", Context: rapport.DecisionContext{Channel: "web"}})
	if len(d.Offers) != 0 {
		t.Errorf("offers %+v after deleting points, want none (deli needs the deli zone)", d.Offers)
	}
}

func asCompileError(err error, target **offer.CompileError) bool { return errors.As(err, target) }

// TestCacheFollowsTheProcessor: with the cache on, a person is read once;
// the processor's batch that withdraws their consent, or an erasure,
// makes the next decision read them again.
func TestCacheFollowsTheProcessor(t *testing.T) {
	f := newFixture(t, policy(), func(c *decide.Config) { c.CachePeople = 100 })
	ctx := context.Background()
	req := decide.Request{Identity: rapport.Identity{Kind: rapport.IdentityUserID, Value: "ann"},
		Context: rapport.DecisionContext{Channel: "beacon", Zone: "deli"}}
	if d := f.decide(t, req); d.Consent.Result != rapport.ConsentGranted {
		t.Fatalf("consent %+v", d.Consent)
	}
	withdrawn := ann()
	withdrawn.Consents["push"] = rapport.Consent{Channel: "push", Granted: false, At: t0, MessageID: "m-revoke"}
	changes := rapport.Changes{Profiles: []*rapport.Profile{withdrawn}, Base: 1, Checkpoint: 2}
	if err := f.store.ApplyChanges(ctx, changes); err != nil {
		t.Fatal(err)
	}
	if d := f.decide(t, req); d.Consent.Result != rapport.ConsentGranted {
		t.Fatalf("consent %+v: want the cached record until the processor says", d.Consent)
	}
	f.svc.OnApplied(changes)
	if d := f.decide(t, req); d.Consent.Result != rapport.ConsentRefused || d.Consent.MessageID != "m-revoke" {
		t.Fatalf("consent %+v after the batch: want withdrawn", d.Consent)
	}
	// Outcomes recorded here reach the cached history: four dismissals
	// suppress the deli coupon at once.
	f.svc.OnApplied(rapport.Changes{Profiles: []*rapport.Profile{ann()}})
	if err := f.store.ApplyChanges(ctx, rapport.Changes{Profiles: []*rapport.Profile{ann()}, Base: 2, Checkpoint: 3}); err != nil {
		t.Fatal(err)
	}
	for range 4 {
		d := f.decide(t, req)
		f.outcomes(t, decide.OutcomeRequest{DecisionID: d.ID, OfferID: "deli", Type: "dismissed"})
	}
	if d := f.decide(t, req); len(d.Offers) != 1 || d.Offers[0].OfferID != "points" {
		t.Errorf("offers %+v: want deli suppressed from the cached history", d.Offers)
	}
	if err := f.svc.Forget(ctx, "p_ann"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.DeleteProfile(ctx, "p_ann"); err != nil {
		t.Fatal(err)
	}
	if d := f.decide(t, req); d.ProfileID != "" {
		t.Errorf("decision after the erasure is about %q, want an unknown visitor", d.ProfileID)
	}
}

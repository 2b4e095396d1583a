package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/decide"
	"github.com/rapportdev/rapport/demo"
	"github.com/rapportdev/rapport/ingest"
)

// demoOfferSeed seeds the demo history's decisions, so that a second run
// over the same profiles draws the same.
const demoOfferSeed = 5

// startDemoOffers gives `serve --demo` an offer history, in the
// background (the server answers meanwhile): the demo catalog and
// trigger, put in use through the live service; the demo people's
// consents, appended through ingest like any event; then, once the
// processor has applied everything, twelve weeks of decisions and
// outcomes made through a second offer service whose clock walks through
// those weeks, and the ignores its sweep records. The live service then
// reloads what was learned. Only where events are applied (role all),
// and only into a store without decisions, so a restart adds nothing.
// The returned function stops it.
func startDemoOffers(ctx context.Context, cfg *serveConfig, store rapport.Store, committer *ingest.Committer,
	live *decide.Service, logger *slog.Logger) (stop func()) {
	if cfg.role != roleAll {
		return func() {}
	}
	return runInBackground(ctx, "demo offers", func(ctx context.Context) error {
		d := demoOffers{cfg: cfg, store: store, committer: committer, live: live, log: logger}
		return d.run(ctx)
	}, logger)
}

// demoOffers makes the demo's offer history.
type demoOffers struct {
	cfg       *serveConfig
	store     rapport.Store
	committer *ingest.Committer
	live      *decide.Service
	log       *slog.Logger
}

func (d *demoOffers) run(ctx context.Context) error {
	stats, err := d.store.FindOfferStats(ctx, time.Time{})
	if err != nil {
		return fmt.Errorf("demo offers: %w", err)
	}
	if len(stats) > 0 {
		return nil // made by an earlier start, or real
	}
	for _, o := range demo.Offers() {
		if err := d.live.PutOffer(ctx, o); err != nil {
			return fmt.Errorf("demo offer %s: %w", o.ID, err)
		}
	}
	for _, t := range demo.OfferTriggers() {
		if err := d.live.PutTrigger(ctx, t); err != nil {
			return fmt.Errorf("demo trigger %s: %w", t.ID, err)
		}
	}
	now := time.Now().UTC()
	if err := d.committer.Append(ctx, demo.OfferConsents(1, now, demo.DefaultPeople)); err != nil {
		return fmt.Errorf("demo consents: %w", err)
	}
	if err := d.waitApplied(ctx); err != nil {
		return err
	}
	start := time.Now()
	made, err := d.history(ctx, now)
	if err != nil {
		return err
	}
	if err := d.live.Load(ctx); err != nil {
		return fmt.Errorf("demo offers: reload the counts: %w", err)
	}
	d.log.Info("demo offer history made", "decisions", made, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// waitApplied waits until the processor has applied every event appended
// so far: decisions read the people the demo events make.
func (d *demoOffers) waitApplied(ctx context.Context) error {
	want := d.committer.LastSeq()
	for {
		applied, err := d.store.Checkpoint(ctx)
		if err != nil {
			return fmt.Errorf("demo offers: read the checkpoint: %w", err)
		}
		if applied >= want {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// history decides for every demo visit in time order, a day at a time,
// records what each person does with the offers shown, then sweeps the
// ignores. It returns how many decisions it made.
func (d *demoOffers) history(ctx context.Context, now time.Time) (int, error) {
	clock := &demoClock{}
	decl := d.cfg.decl.cfg.Offers
	svc, err := decide.New(decide.Config{Store: d.store, Policy: decl.Policy(), Clock: clock, Logger: d.log,
		Seed: demoOfferSeed})
	if err != nil {
		return 0, err
	}
	if err := svc.Load(ctx); err != nil {
		return 0, err
	}
	audience := demo.NewOfferAudience(1, demo.DefaultPeople)
	visits := demo.OfferVisits(1, now, demo.DefaultPeople)
	seen := map[int]int{}
	var day []decide.OutcomeRequest
	made := 0
	for i, v := range visits {
		clock.set(v.At)
		dec, err := svc.Decide(ctx, decide.Request{Identity: v.Identity, Context: v.Context, Limit: 2})
		if err != nil {
			return made, fmt.Errorf("demo decision for %s: %w", v.Identity.Value, err)
		}
		made++
		day = append(day, answers(audience, v, seen[v.Person], dec)...)
		seen[v.Person]++
		// A day's outcomes in one transaction, before the next day's
		// decisions read them (suppression, caps, learning).
		if i+1 == len(visits) || !sameDay(visits[i+1].At, v.At) || len(day) > 400 {
			if err := record(ctx, svc, day); err != nil {
				return made, err
			}
			day = day[:0]
		}
	}
	if err := svc.Flush(ctx); err != nil {
		return made, err
	}
	clock.set(now)
	return made, svc.Sweep(ctx)
}

// answers are the outcomes of a decision: each offer shown, and the
// person's answer an hour later (none: it will count as ignored).
func answers(a *demo.OfferAudience, v demo.OfferVisit, visit int, dec *rapport.Decision) []decide.OutcomeRequest {
	var out []decide.OutcomeRequest
	for _, o := range dec.Offers {
		out = append(out, decide.OutcomeRequest{DecisionID: dec.ID, OfferID: o.OfferID, Type: rapport.OutcomeShown, At: v.At})
		def := demoOffer(o.OfferID)
		if def == nil {
			continue
		}
		typ, revenue := a.Answer(v.Person, visit, def)
		if typ != "" {
			out = append(out, decide.OutcomeRequest{DecisionID: dec.ID, OfferID: o.OfferID, Type: typ, Revenue: revenue,
				At: v.At.Add(time.Hour)})
		}
	}
	return out
}

// record records outcomes in groups of the most one request takes.
func record(ctx context.Context, svc *decide.Service, reqs []decide.OutcomeRequest) error {
	for len(reqs) > 0 {
		n := min(len(reqs), 400)
		if _, err := svc.RecordOutcomes(ctx, reqs[:n]); err != nil {
			return fmt.Errorf("demo outcomes: %w", err)
		}
		reqs = reqs[n:]
	}
	return nil
}

// demoOffer returns the demo catalog's offer with id.
var demoOffer = func() func(id string) *rapport.Offer {
	byID := map[string]*rapport.Offer{}
	for _, o := range demo.Offers() {
		byID[o.ID] = o
	}
	return func(id string) *rapport.Offer { return byID[id] }
}()

func sameDay(a, b time.Time) bool {
	return a.UTC().Truncate(24 * time.Hour).Equal(b.UTC().Truncate(24 * time.Hour))
}

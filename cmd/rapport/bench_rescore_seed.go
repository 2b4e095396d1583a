package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/progress"
	"github.com/rapportdev/rapport/rescore"
)

// seedScoredPeople stores n synthetic people with the scores the
// processor would have given them: each person's few interactions are
// scored as events by live, and the profiles and scores are stored in
// batches, as the processor stores them.
func seedScoredPeople(ctx context.Context, store rapport.Store, live *rescore.Live, seed uint64, n int, now time.Time, bar *progress.Bar) error {
	const batch = 5000
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	for lo, b := 0, int64(0); lo < n; lo, b = lo+batch, b+1 {
		c := rapport.Changes{Base: b, Checkpoint: b + 1}
		for i := lo; i < min(lo+batch, n); i++ {
			p, events := syntheticPerson(r, i, now)
			w, err := live.Load(nil)
			if err != nil {
				return err
			}
			for _, ev := range events {
				if _, err := live.Score(p, w, ev); err != nil {
					return fmt.Errorf("score %s: %w", p.ID, err)
				}
			}
			rec, err := live.Record(p.ID, w)
			if err != nil {
				return err
			}
			c.Profiles, c.Scores = append(c.Profiles, p), append(c.Scores, rec)
		}
		if err := store.ApplyChanges(ctx, c); err != nil {
			return fmt.Errorf("store profiles: %w", err)
		}
		bar.Add(int64(len(c.Profiles)))
	}
	return nil
}

// syntheticPerson returns a person shaped like a shop's, with traits the
// b2c model reads, an anonymous id and for most an email, about half
// of them customers with an order history, and their last few
// interactions as events (page views, email opens and clicks, orders,
// now and then a store visit or a review).
func syntheticPerson(r *rand.Rand, i int, now time.Time) (*rapport.Profile, []*rapport.Event) {
	genders := []string{"female", "male", "nonbinary"}
	occupations := []string{"teacher", "engineer", "nurse", "student", "retired", "manager"}
	channels := []string{"web", "mobile", "in-store", "phone"}
	interactions := []string{"Email Opened", "Email Opened", "Email Link Clicked", "Product Viewed", "Store Visited", "Review Submitted"}
	created := now.Add(-time.Duration(1+r.IntN(3*365*24)) * time.Hour)
	last := created.Add(time.Duration(r.Int64N(int64(now.Sub(created)) + 1)))
	p := &rapport.Profile{ID: fmt.Sprintf("p_%08d", i), Kind: rapport.ProfilePerson,
		Traits: map[string]any{"age": float64(18 + r.IntN(60)),
			"gender": genders[r.IntN(len(genders))], "income": float64(15000 + r.IntN(150000)),
			"occupation": occupations[r.IntN(len(occupations))], "children": float64(r.IntN(4))},
		Identities: []rapport.Identity{{Kind: rapport.IdentityAnonymousID, Value: fmt.Sprintf("anon-%d", i)}},
		CreatedAt:  created, UpdatedAt: last}
	if r.IntN(4) > 0 {
		email := fmt.Sprintf("person%d@example.com", i)
		p.Traits["email"] = email
		p.Identities = append(p.Identities, rapport.Identity{Kind: rapport.IdentityEmail, Value: email})
	}
	a := &p.Aggregates
	a.FirstSeen, a.LastSeen = created, last
	a.Events = map[string]int64{"identify": 1, "page": int64(1 + r.IntN(40))}
	a.Channels = map[string]int64{channels[r.IntN(len(channels))]: int64(1 + r.IntN(40))}
	a.PageViews = a.Events["page"]
	var events []*rapport.Event
	at := func() time.Time { return created.Add(time.Duration(r.Int64N(int64(last.Sub(created)) + 1))) }
	for range 1 + r.IntN(6) {
		name := interactions[r.IntN(len(interactions))]
		a.Events[name]++
		events = append(events, &rapport.Event{Type: rapport.EventTrack, Event: name, Timestamp: at()})
	}
	if r.IntN(2) == 0 {
		orders := int64(1 + r.IntN(12))
		a.Events[rapport.EventOrderCompleted] += orders
		a.Orders, a.Revenue = orders, float64(orders)*(20+r.Float64()*180)
		a.AverageOrderValue = a.Revenue / float64(orders)
		a.FirstOrderAt, a.LastOrderAt = created, last
		a.PurchaseChannels = map[string]int64{channels[r.IntN(len(channels))]: orders}
		a.Categories = map[string]float64{"books": a.Revenue / 2, "music": a.Revenue / 2}
		events = append(events, &rapport.Event{Type: rapport.EventTrack, Event: rapport.EventOrderCompleted, Timestamp: last})
	}
	// Events in time order, as the processor applies a person's events.
	for i := 1; i < len(events); i++ {
		for j := i; j > 0 && events[j].Timestamp.Before(events[j-1].Timestamp); j-- {
			events[j], events[j-1] = events[j-1], events[j]
		}
	}
	seedFirstsAndSessions(r, p, events)
	return p, events
}

// seedFirstsAndSessions gives p the first times and session runs the
// profile package would have kept for its events: the in-memory scores
// hold the first times, and the runs are part of what a fill decodes.
func seedFirstsAndSessions(r *rand.Rand, p *rapport.Profile, events []*rapport.Event) {
	a := &p.Aggregates
	f := &a.Firsts
	for _, id := range p.Identities {
		f.SeeIdentity(id.Kind, a.FirstSeen)
	}
	f.SeeEvent("identify", a.FirstSeen)
	f.SeeEvent("page", a.FirstSeen)
	for _, ev := range events {
		f.SeeEvent(ev.Event, ev.Timestamp)
	}
	if a.Orders > 0 {
		span := a.LastOrderAt.Sub(a.FirstOrderAt)
		for k := range min(a.Orders, rapport.MaxFirstOrders) {
			f.SeeOrder(a.FirstOrderAt.Add(span * time.Duration(k) / time.Duration(max(a.Orders-1, 1))))
		}
		f.SeeCategory("books", a.FirstOrderAt)
		f.SeeCategory("music", a.FirstOrderAt)
	}
	span := a.LastSeen.Sub(a.FirstSeen)
	for range 1 + a.PageViews/4 {
		a.SessionRuns.Add(a.FirstSeen.Add(time.Duration(r.Int64N(int64(span)+1))), "", rapport.HistoryDays)
	}
	a.Sessions = a.SessionRuns.Count()
}

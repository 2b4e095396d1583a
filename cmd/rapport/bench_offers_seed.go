package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/rapportdev/rapport"
)

// offerBenchShape sizes the store `rapport bench offers` measures on.
type offerBenchShape struct {
	profiles, offers, segments int
	seed                       uint64
}

// benchSegmentID names the i-th segment.
func benchSegmentID(i int) string { return fmt.Sprintf("seg-%02d", i) }

// benchUserID names the i-th profile's userId.
func benchUserID(i int) string { return fmt.Sprintf("bench-u%06d", i) }

// benchZones are the shop zones of beacons and offers.
var benchZones = []string{"deli", "bakery", "wine", "produce", "dairy", "checkout"}

// seedOfferBench fills an empty store with rule segments, offers and
// profiles (with scores, memberships and push consent),
// written directly: the measurement is of decisions, not of ingestion.
func seedOfferBench(ctx context.Context, st rapport.Store, shape offerBenchShape) error {
	r := rand.New(rand.NewPCG(shape.seed, 11))
	now := time.Now().UTC()
	for i := range shape.segments {
		id := benchSegmentID(i)
		if err := st.PutSegment(ctx, &rapport.Segment{ID: id, Name: "Bench " + id, Kind: rapport.SegmentRule,
			Expression: fmt.Sprintf(`%q in (traits.segs ?? [])`, id), CreatedAt: now, UpdatedAt: now}); err != nil {
			return err
		}
	}
	for i := range shape.offers {
		if err := st.PutOffer(ctx, benchOffer(i, shape.segments, r, now)); err != nil {
			return err
		}
	}
	for start := 0; start < shape.profiles; start += 1000 {
		c := rapport.Changes{}
		for i := start; i < min(start+1000, shape.profiles); i++ {
			benchOfferProfile(&c, i, shape.segments, r, now)
		}
		if err := st.ApplyChanges(ctx, c); err != nil {
			return fmt.Errorf("seed profiles: %w", err)
		}
	}
	return nil
}

// benchOffer is the i-th offer: eligibility mixes segments, zones, pages,
// scores, aggregates and time of day, as a shop's catalog would.
func benchOffer(i, segments int, r *rand.Rand, now time.Time) *rapport.Offer {
	seg := benchSegmentID(r.IntN(segments))
	zone := benchZones[r.IntN(len(benchZones))]
	exprs := []string{
		fmt.Sprintf(`%q in segments && zone == %q`, seg, zone),
		fmt.Sprintf(`%q in segments || orders >= %d`, seg, 1+r.IntN(5)),
		fmt.Sprintf(`zone == %q && hour >= 6`, zone),
		fmt.Sprintf(`page startsWith "/c/%d" || (categories.wine ?? 0) > %d`, r.IntN(10), 20+r.IntN(200)),
		fmt.Sprintf(`stage in ["repeat_customer", "loyal_customer"] && %q in segments`, seg),
		fmt.Sprintf(`engagement >= %d || count("Beacon Entered", 30) >= 2`, 10+r.IntN(60)),
	}
	return &rapport.Offer{ID: fmt.Sprintf("offer-%03d", i), Title: fmt.Sprintf("Bench offer %d", i),
		Channels: []string{rapport.ChannelWeb, rapport.ChannelBeacon, rapport.ChannelPush}, Eligibility: exprs[i%len(exprs)],
		Value: float64(1 + r.IntN(20)), Stage: rapport.OfferStages[i%3], Category: zone,
		Payload: map[string]any{"text": fmt.Sprintf("Offer %d", i)}, CreatedAt: now, UpdatedAt: now}
}

// benchOfferProfile adds the i-th profile to c with its identity, score and
// memberships: five segments each, some orders and wine spend.
func benchOfferProfile(c *rapport.Changes, i, segments int, r *rand.Rand, now time.Time) {
	id := fmt.Sprintf("p_bench%06d", i)
	ident := rapport.Identity{Kind: rapport.IdentityUserID, Value: benchUserID(i)}
	var segs []any
	for _, s := range r.Perm(segments)[:min(5, segments)] {
		segs = append(segs, benchSegmentID(s))
		c.Memberships = append(c.Memberships, rapport.MembershipChange{SegmentID: benchSegmentID(s), ProfileID: id, Entered: true, At: now})
	}
	p := &rapport.Profile{ID: id, Kind: rapport.ProfilePerson, Identities: []rapport.Identity{ident},
		Traits: map[string]any{"segs": segs, "first_name": "Bench"}, CreatedAt: now, UpdatedAt: now}
	p.Aggregates.Orders = int64(r.IntN(8))
	p.Aggregates.Revenue = float64(p.Aggregates.Orders) * 40
	p.Aggregates.Categories = map[string]float64{"wine": float64(r.IntN(300)), "deli": float64(r.IntN(100))}
	p.Aggregates.FirstSeen, p.Aggregates.LastSeen = now.Add(-90*24*time.Hour), now.Add(-time.Hour)
	p.Consents = map[string]rapport.Consent{"push": {Channel: "push", Granted: true, At: now.Add(-time.Hour),
		MessageID: "bench-consent-" + id}}
	stages := []string{"lead", "new_customer", "repeat_customer", "loyal_customer", "at_risk"}
	c.Profiles = append(c.Profiles, p)
	c.Identities = append(c.Identities, rapport.IdentityLink{Identity: ident, ProfileID: id})
	c.Scores = append(c.Scores, rapport.ScoreRecord{ProfileID: id, Fit: float64(r.IntN(100)), Grade: "B",
		Engagement: float64(r.IntN(100)), Stage: stages[r.IntN(len(stages))], UpdatedAt: now})
}

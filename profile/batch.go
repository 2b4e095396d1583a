package profile

import (
	"context"
	"time"

	"github.com/rapportdev/rapport"
)

// Batch accumulates the effect of one run of events, applied in log order.
// It works on its own copies of the profiles it loads, so the View's state
// is untouched until the store has accepted the batch's Changes. After
// Apply returns an error the Batch is in an undefined state and must be
// discarded: the caller starts again from the same checkpoint.
type Batch struct {
	view  View
	newID func() string
	clock rapport.Clock

	base       int64
	checkpoint int64
	applied    int

	// loaded holds every profile read or created, by id; touched lists the
	// ones changed, in first-touch order, so Changes is deterministic.
	loaded    map[string]*rapport.Profile
	touched   []string
	isTouched map[string]bool
	// created marks profiles that do not exist in the View.
	created map[string]bool
	// owner is the batch's own identity → profile map, in front of the View.
	owner    map[rapport.Identity]string
	ownerSeq []rapport.Identity
	// mergedInto redirects a profile merged away to its survivor.
	mergedInto map[string]string
	// absorbed lists, per survivor, the View's profiles merged into it, whose
	// ledgers still sit under their old ids until the merge is written.
	absorbed map[string][]string
	// orderIDs holds, per profile, the order ids counted in this batch.
	orderIDs map[string]map[string]bool
	// last is the profile the last applied event went to, nil when none.
	last *rapport.Profile

	merges []rapport.Merge
	orders []rapport.Order
	// events are the events applied, which the store keeps with the
	// changes they made.
	events []rapport.Event
}

func newBatch(view View, base int64, newID func() string, clock rapport.Clock) *Batch {
	return &Batch{
		view:       view,
		newID:      newID,
		clock:      clock,
		base:       base,
		checkpoint: base,
		loaded:     map[string]*rapport.Profile{},
		isTouched:  map[string]bool{},
		created:    map[string]bool{},
		owner:      map[rapport.Identity]string{},
		mergedInto: map[string]string{},
		absorbed:   map[string][]string{},
		orderIDs:   map[string]map[string]bool{},
	}
}

// Apply applies one event. Events must come in log order (rising Seq). It
// returns an error only when the View fails, or an EINVALID error for a nil
// event; an event with nothing to resolve (no identity at all) is counted
// as applied and changes no profile.
func (b *Batch) Apply(ctx context.Context, ev *rapport.Event) error {
	if ev == nil {
		return rapport.Errorf(rapport.EINVALID, "nil event")
	}
	b.last = nil
	if err := b.apply(ctx, ev); err != nil {
		return err
	}
	b.checkpoint = ev.Seq
	b.applied++
	b.events = append(b.events, *ev)
	return nil
}

func (b *Batch) apply(ctx context.Context, ev *rapport.Event) error {
	p, err := b.resolve(ctx, ev)
	if err != nil || p == nil {
		return err
	}
	t := eventTime(ev)
	count(p, ev, t)
	for _, id := range identities(ev) {
		// Not one left with a conflicting profile: the lead's since must
		// rest on identities the profile holds.
		if p.HasIdentity(id) {
			p.Aggregates.Firsts.SeeIdentity(id.Kind, t)
		}
	}
	switch {
	case ev.Type == rapport.EventIdentify:
		setTraits(p, ev.Traits, t)
	case ev.Type == rapport.EventGroup:
		err = b.group(ctx, p, ev, t)
	case ev.Type == rapport.EventTrack && ev.Event == rapport.EventOrderCompleted:
		err = b.order(ctx, p, ev, t)
	case ev.Type == rapport.EventTrack && ev.Event == rapport.EventOrderRefunded:
		refund(&p.Aggregates, ev)
	case ev.Type == rapport.EventTrack && (ev.Event == rapport.EventConsentGranted || ev.Event == rapport.EventConsentRevoked):
		err = consent(p, ev, t)
	}
	b.touch(p)
	b.last = p
	return err
}

// Last returns the profile the last applied event went to, as it is right
// after that event, or nil when the event resolved to no profile (or was
// skipped). It is the batch's own copy, which later events change: read
// it before applying the next event, and do not modify it.
func (b *Batch) Last() *rapport.Profile { return b.last }

// Merges returns the merges the batch made so far, in order. The slice is
// the batch's own: read it, do not keep or modify it.
func (b *Batch) Merges() []rapport.Merge { return b.merges }

// Created reports whether the profile was created by this batch, so no
// store holds anything of it yet.
func (b *Batch) Created(id string) bool { return b.created[id] }

// Skip advances the checkpoint past an event without applying it. The
// processor uses it for an event it has given up on and for a duplicate of
// a message already applied, so the log moves on; a skipped event is not
// in Changes.Events.
func (b *Batch) Skip(ev *rapport.Event) {
	b.last = nil
	if ev != nil && ev.Seq > b.checkpoint {
		b.checkpoint = ev.Seq
	}
}

// Len returns how many events were applied.
func (b *Batch) Len() int { return b.applied }

// Changes returns what the batch did: the events applied (not the ones
// skipped), merges in the order they happened, each surviving touched
// profile once in its final state, the identity links that were added or
// re-pointed, the new ledger orders, and the checkpoint range.
func (b *Batch) Changes() rapport.Changes {
	c := rapport.Changes{
		Events:     append([]rapport.Event(nil), b.events...),
		Merges:     append([]rapport.Merge(nil), b.merges...),
		Base:       b.base,
		Checkpoint: b.checkpoint,
	}
	for _, id := range b.touched {
		if _, gone := b.mergedInto[id]; !gone {
			c.Profiles = append(c.Profiles, b.loaded[id])
		}
	}
	for _, id := range b.ownerSeq {
		c.Identities = append(c.Identities, rapport.IdentityLink{Identity: id, ProfileID: b.final(b.owner[id])})
	}
	for _, o := range b.orders {
		o.ProfileID = b.final(o.ProfileID)
		c.Orders = append(c.Orders, o)
	}
	return c
}

// final follows merges to the profile that now holds what id held.
func (b *Batch) final(id string) string {
	for i := 0; i < len(b.mergedInto)+1; i++ {
		next, ok := b.mergedInto[id]
		if !ok {
			return id
		}
		id = next
	}
	return id
}

// touch marks p as changed and stamps it with the processing time.
func (b *Batch) touch(p *rapport.Profile) {
	p.UpdatedAt = b.clock.Now()
	if !b.isTouched[p.ID] {
		b.isTouched[p.ID] = true
		b.touched = append(b.touched, p.ID)
	}
}

// eventTime is when the event happened: its Timestamp, or when it was
// received for an event that somehow has none.
//
// A timestamp later than the event's arrival (plus maxClockSkew) is a
// client clock or an import gone wrong: it is taken as the arrival time,
// so one event dated next year cannot freeze traits, push every other
// day out of the event history, or make a consent unrevocable.
func eventTime(ev *rapport.Event) time.Time {
	if ev.Timestamp.IsZero() {
		return ev.ReceivedAt
	}
	if !ev.ReceivedAt.IsZero() && ev.Timestamp.After(ev.ReceivedAt.Add(maxClockSkew)) {
		return ev.ReceivedAt
	}
	return ev.Timestamp
}

// maxClockSkew is how far after its arrival an event's own time may be
// before it is not believed.
const maxClockSkew = 5 * time.Minute

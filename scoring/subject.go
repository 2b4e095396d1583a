package scoring

import (
	"time"

	"github.com/rapportdev/rapport"
)

// Subject is all that scoring reads of a profile: its traits (fit), its
// event counts by name (advocacy), its order timing and breadth (the
// lifecycle stage) and which kinds of identity it holds (a lead or a
// prospect). Whatever model is in use reads nothing else, so a Subject is
// enough to rescore a profile after any model change: the profile's
// histories, browsers, referrers and the rest stay out of memory.
//
// Traits and Events are shared with the profile it was taken from, not
// copied: treat them as read-only, as the processor treats the profiles it
// has stored.
type Subject struct {
	Traits       map[string]any
	Events       map[string]int64
	FirstOrderAt time.Time
	LastOrderAt  time.Time
	Orders       int64
	// ProductLines is the number of product categories bought.
	ProductLines int64
	// Kinds holds a bit for each identity kind the profile has
	// (KindBit).
	Kinds uint8
	// FirstSeen and Firsts are when the profile's first event, identities,
	// event names, categories and orders were seen: the lifecycle stage's
	// Since is read from them. Firsts' lists are shared with the profile,
	// like Traits.
	FirstSeen time.Time
	Firsts    rapport.Firsts
}

// identityKinds gives each identity kind its bit in Subject.Kinds.
var identityKinds = [...]rapport.IdentityKind{rapport.IdentityUserID, rapport.IdentityAnonymousID,
	rapport.IdentityEmail, rapport.IdentityPhone, rapport.IdentityGroupID}

// KindBit returns the bit of Subject.Kinds that stands for k, 0 for a kind
// scoring does not know (which no model can name).
func KindBit(k rapport.IdentityKind) uint8 {
	for i, x := range identityKinds {
		if x == k {
			return 1 << i
		}
	}
	return 0
}

// SubjectOf returns what scoring reads of p. It does not allocate.
func SubjectOf(p *rapport.Profile) Subject {
	a := &p.Aggregates
	s := Subject{Traits: p.Traits, Events: a.Events, FirstOrderAt: a.FirstOrderAt, LastOrderAt: a.LastOrderAt,
		Orders: a.Orders, ProductLines: int64(len(a.Categories)), FirstSeen: a.FirstSeen, Firsts: a.Firsts}
	for i := range p.Identities {
		s.Kinds |= KindBit(p.Identities[i].Kind)
	}
	return s
}

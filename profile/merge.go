package profile

import (
	"slices"

	"github.com/rapportdev/rapport"
)

// merge folds from into into: identities, traits (newest value per key),
// groups, aggregates and what the batch knows of orders. The
// merge is recorded for the store, which moves from's identities and ledger
// and deletes it.
func (b *Batch) merge(from, into *rapport.Profile, ev *rapport.Event, reason string) {
	for _, id := range from.Identities {
		b.link(id, into)
	}
	mergeTraits(into, from)
	mergeConsents(into, from)
	for _, g := range from.Groups {
		addGroup(into, g)
	}
	addAggregates(&into.Aggregates, from.Aggregates)
	if from.CreatedAt.Before(into.CreatedAt) {
		into.CreatedAt = from.CreatedAt
	}
	b.mergeLedgers(from.ID, into.ID)
	b.mergedInto[from.ID] = into.ID
	b.merges = append(b.merges, rapport.Merge{
		From: from.ID, Into: into.ID, At: eventTime(ev), Reason: reason, MessageID: ev.MessageID,
	})
	b.touch(into)
}

// mergeLedgers makes the survivor answer for the orders of the profile
// folded into it, counted in this batch or stored under the old id.
func (b *Batch) mergeLedgers(from, into string) {
	if !b.created[from] {
		b.absorbed[into] = append(b.absorbed[into], from)
	}
	b.absorbed[into] = append(b.absorbed[into], b.absorbed[from]...)
	delete(b.absorbed, from)
	for oid := range b.orderIDs[from] {
		b.markOrder(into, oid)
	}
	delete(b.orderIDs, from)
}

// mergeTraits keeps, per key, the value set by the later event. On a tie
// the survivor's value stays.
func mergeTraits(into, from *rapport.Profile) {
	for k, v := range from.Traits {
		t := from.TraitTimes[k]
		if _, have := into.Traits[k]; have && !t.After(into.TraitTimes[k]) {
			continue
		}
		setTrait(into, k, v, t)
	}
}

// addGroup adds an account id to the person's groups, once.
func addGroup(p *rapport.Profile, groupID string) {
	if !slices.Contains(p.Groups, groupID) {
		p.Groups = append(p.Groups, groupID)
	}
}

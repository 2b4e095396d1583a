package profile

import (
	"context"
	"time"

	"github.com/rapportdev/rapport"
)

// group attaches the person to an account and keeps the account profile
// current: created on its first group call, its traits merged by event time
// like a person's, its seen times and group calls counted.
func (b *Batch) group(ctx context.Context, person *rapport.Profile, ev *rapport.Event, t time.Time) error {
	id, ok := rapport.NewIdentity(rapport.IdentityGroupID, ev.GroupID)
	if !ok {
		return nil
	}
	addGroup(person, id.Value)
	account, err := b.lookup(ctx, id)
	if err != nil {
		return err
	}
	if account == nil {
		account = b.create(rapport.ProfileAccount)
		b.link(id, account)
	}
	setTraits(account, ev.Traits, t)
	seen(&account.Aggregates, t)
	account.Aggregates.Events = inc(account.Aggregates.Events, string(rapport.EventGroup), 1)
	b.touch(account)
	return nil
}

package profile

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/rapportdev/rapport"
)

// candidate is an existing profile an event's identity resolved to.
type candidate struct {
	via rapport.Identity
	p   *rapport.Profile
	// force merges even across user ids: an alias says they are one person.
	force bool
}

// resolve finds or creates the person profile an event belongs to, merging
// the profiles its identities point at where that is allowed, and links the
// identities nobody held. It returns nil for an event without identities.
func (b *Batch) resolve(ctx context.Context, ev *rapport.Event) (*rapport.Profile, error) {
	ids := identities(ev)
	cands, free, err := b.candidates(ctx, ids)
	if err != nil {
		return nil, err
	}
	if ev.Type == rapport.EventAlias {
		if cands, free, err = b.aliasCandidate(ctx, ev, cands, free); err != nil {
			return nil, err
		}
	}
	if len(cands) == 0 && len(free) == 0 {
		return nil, nil
	}
	survivor := b.survivor(ev, cands)
	if survivor.p == nil {
		survivor.p = b.create(rapport.ProfilePerson)
	}
	// Free identities first: a userId new to Rapport must count when
	// deciding which candidates belong to another user.
	for _, id := range free {
		b.link(id, survivor.p)
	}
	for _, c := range cands {
		if c.p == survivor.p || (!c.force && conflicting(survivor.p, c.p)) {
			continue
		}
		b.merge(c.p, survivor.p, ev, fmt.Sprintf("%s: %s joined %s", eventName(ev), describe(c.via), describe(survivor.via)))
	}
	return survivor.p, nil
}

// candidates looks up each identity: the distinct profiles found, in the
// order of the identities that found them, and the identities nobody holds.
func (b *Batch) candidates(ctx context.Context, ids []rapport.Identity) ([]candidate, []rapport.Identity, error) {
	var cands []candidate
	var free []rapport.Identity
	for _, id := range ids {
		p, err := b.lookup(ctx, id)
		switch {
		case err != nil:
			return nil, nil, err
		case p == nil:
			free = append(free, id)
		case !slices.ContainsFunc(cands, func(c candidate) bool { return c.p == p }):
			cands = append(cands, candidate{via: id, p: p})
		}
	}
	return cands, free, nil
}

// aliasCandidate adds an alias call's previousId: the profile holding it as
// a user id, else as an anonymous id. Nobody holding it, it is linked as an
// anonymous id so later events sent with it find the user.
func (b *Batch) aliasCandidate(ctx context.Context, ev *rapport.Event, cands []candidate, free []rapport.Identity) ([]candidate, []rapport.Identity, error) {
	for _, kind := range []rapport.IdentityKind{rapport.IdentityUserID, rapport.IdentityAnonymousID} {
		id, ok := rapport.NewIdentity(kind, ev.PreviousID)
		if !ok {
			return cands, free, nil
		}
		p, err := b.lookup(ctx, id)
		if err != nil {
			return nil, nil, err
		}
		if p == nil {
			continue
		}
		i := slices.IndexFunc(cands, func(c candidate) bool { return c.p == p })
		if i < 0 {
			return append(cands, candidate{via: id, p: p, force: true}), free, nil
		}
		cands[i].force = true
		return cands, free, nil
	}
	id, _ := rapport.NewIdentity(rapport.IdentityAnonymousID, ev.PreviousID)
	if !contains(free, id) {
		free = append(free, id)
	}
	return cands, free, nil
}

// survivor picks the profile the event goes to: the one holding its userId;
// else the oldest candidate that does not belong to another user. A zero
// profile means a new one must be created. Its via is the identity that
// found it, or the event's first identity for a new profile.
func (b *Batch) survivor(ev *rapport.Event, cands []candidate) candidate {
	uid, hasUser := rapport.NewIdentity(rapport.IdentityUserID, ev.UserID)
	for _, c := range cands {
		if hasUser && c.via == uid {
			return c
		}
	}
	sorted := slices.Clone(cands)
	slices.SortStableFunc(sorted, func(x, y candidate) int {
		return cmp.Or(x.p.CreatedAt.Compare(y.p.CreatedAt), cmp.Compare(x.p.ID, y.p.ID))
	})
	for _, c := range sorted {
		if !hasUser || c.force || len(userIDs(c.p)) == 0 {
			return c
		}
	}
	if first := identities(ev); len(first) > 0 {
		return candidate{via: first[0]}
	}
	id, _ := rapport.NewIdentity(rapport.IdentityAnonymousID, ev.PreviousID)
	return candidate{via: id}
}

// lookup returns the profile holding id, or nil. The batch's own links come
// first; a profile merged away in this batch is followed to its survivor.
func (b *Batch) lookup(ctx context.Context, id rapport.Identity) (*rapport.Profile, error) {
	pid, ok := b.owner[id]
	if !ok {
		var err error
		pid, ok, err = b.view.ProfileIDByIdentity(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("find profile by %s: %w", id, err)
		}
		if !ok {
			return nil, nil
		}
	}
	return b.load(ctx, b.final(pid))
}

// load returns the batch's copy of a profile, reading it from the View the
// first time. A missing profile yields nil: its identity is then free.
func (b *Batch) load(ctx context.Context, id string) (*rapport.Profile, error) {
	if p, ok := b.loaded[id]; ok {
		return p, nil
	}
	p, ok, err := b.view.Profile(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("find profile %s: %w", id, err)
	}
	if !ok || p == nil {
		return nil, nil
	}
	p = clone(p)
	b.loaded[id] = p
	return p, nil
}

// create makes a new, empty profile. CreatedAt is processing time, like
// UpdatedAt; FirstSeen carries the event time.
func (b *Batch) create(kind rapport.ProfileKind) *rapport.Profile {
	now := b.clock.Now()
	p := &rapport.Profile{ID: b.newID(), Kind: kind, Traits: map[string]any{}, CreatedAt: now, UpdatedAt: now}
	b.loaded[p.ID] = p
	b.created[p.ID] = true
	return p
}

// link gives id to p and records the link for the store.
func (b *Batch) link(id rapport.Identity, p *rapport.Profile) {
	if !p.HasIdentity(id) {
		p.Identities = append(p.Identities, id)
	}
	if _, seen := b.owner[id]; !seen {
		b.ownerSeq = append(b.ownerSeq, id)
	}
	b.owner[id] = p.ID
}

// Owner returns the id of the profile that holds id as the batch stands
// (its own links and merges over the View), and false when none does. It
// loads nothing: the processor of a partitioned log asks it before
// applying an event, to learn which profiles the event would touch.
func (b *Batch) Owner(ctx context.Context, id rapport.Identity) (string, bool, error) {
	pid, ok := b.owner[id]
	if !ok {
		var err error
		if pid, ok, err = b.view.ProfileIDByIdentity(ctx, id); err != nil || !ok {
			return "", false, err
		}
	}
	return b.final(pid), true, nil
}

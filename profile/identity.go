package profile

import (
	"github.com/rapportdev/rapport"
)

// identities returns the identities an event names, userId first. Traits
// count as the person's only on identify (a group call's traits describe
// the account); context.traits, where Segment and RudderStack copy the
// person's traits on every call, count on any call.
func identities(ev *rapport.Event) []rapport.Identity {
	var ids []rapport.Identity
	add := func(kind rapport.IdentityKind, v any) {
		s, ok := v.(string)
		if !ok {
			return
		}
		id, ok := rapport.NewIdentity(kind, s)
		if ok && !contains(ids, id) {
			ids = append(ids, id)
		}
	}
	add(rapport.IdentityUserID, ev.UserID)
	add(rapport.IdentityAnonymousID, ev.AnonymousID)
	if ev.Type == rapport.EventIdentify {
		add(rapport.IdentityEmail, ev.Traits["email"])
		add(rapport.IdentityPhone, ev.Traits["phone"])
	}
	if traits, ok := ev.Context["traits"].(map[string]any); ok {
		add(rapport.IdentityEmail, traits["email"])
		add(rapport.IdentityPhone, traits["phone"])
	}
	return ids
}

func contains(ids []rapport.Identity, id rapport.Identity) bool {
	for _, have := range ids {
		if have == id {
			return true
		}
	}
	return false
}

// userIDs returns the set of user ids p holds. A profile holds more than
// one only after an alias joined two of them.
func userIDs(p *rapport.Profile) map[string]bool {
	var set map[string]bool
	for _, id := range p.Identities {
		if id.Kind == rapport.IdentityUserID {
			if set == nil {
				set = map[string]bool{}
			}
			set[id.Value] = true
		}
	}
	return set
}

// conflicting reports whether a and b are known as different users: both
// hold user ids and share none. Such profiles are never merged implicitly,
// since a shared device or a reused email does not make two users one.
func conflicting(a, b *rapport.Profile) bool {
	ua, ub := userIDs(a), userIDs(b)
	if len(ua) == 0 || len(ub) == 0 {
		return false
	}
	for id := range ua {
		if ub[id] {
			return false
		}
	}
	return true
}

// describe writes an identity for a merge reason: "anonymous_id abc".
func describe(id rapport.Identity) string { return string(id.Kind) + " " + id.Value }

// Lookups returns every identity that applying ev may look up: its own
// identities, an alias's previousId as either kind, and a group's account.
// The processor asks the store for the owners of a whole batch's lookups
// in one query instead of one query each.
func Lookups(ev *rapport.Event) []rapport.Identity {
	ids := identities(ev)
	add := func(kind rapport.IdentityKind, v string) {
		if id, ok := rapport.NewIdentity(kind, v); ok {
			ids = append(ids, id)
		}
	}
	switch ev.Type {
	case rapport.EventAlias:
		add(rapport.IdentityUserID, ev.PreviousID)
		add(rapport.IdentityAnonymousID, ev.PreviousID)
	case rapport.EventGroup:
		add(rapport.IdentityGroupID, ev.GroupID)
	}
	return ids
}

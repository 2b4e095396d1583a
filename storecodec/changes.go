package storecodec

import "github.com/rapportdev/rapport"

// CheckChanges rejects, with EINVALID, changes that would write rows
// naming no profile: a merge without both ends or into itself, a nil
// profile or one without an id, an identity link without a profile or
// value, an order without a profile or order id, a notification without
// a type, a score without a profile.
func CheckChanges(c *rapport.Changes) error {
	if err := CheckNotifications(c.Notifications); err != nil {
		return err
	}
	if err := CheckScores(c.Scores); err != nil {
		return err
	}
	if err := CheckMemberships(c.Memberships); err != nil {
		return err
	}
	for _, m := range c.Merges {
		if m.From == "" || m.Into == "" || m.From == m.Into {
			return rapport.Errorf(rapport.EINVALID, "merge from %q into %q is not valid", m.From, m.Into)
		}
	}
	for _, p := range c.Profiles {
		if p == nil || p.ID == "" {
			return rapport.Errorf(rapport.EINVALID, "profile without id")
		}
	}
	for _, l := range c.Identities {
		if l.ProfileID == "" || l.Identity.Value == "" {
			return rapport.Errorf(rapport.EINVALID, "identity link %s to %q is not valid", l.Identity, l.ProfileID)
		}
	}
	for _, o := range c.Orders {
		if o.ProfileID == "" || o.OrderID == "" {
			return rapport.Errorf(rapport.EINVALID, "order %q of profile %q is not valid", o.OrderID, o.ProfileID)
		}
	}
	return nil
}

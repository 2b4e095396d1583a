package profile

import (
	"maps"
	"slices"

	"github.com/rapportdev/rapport"
)

// clone copies p deeply enough that the batch can change the copy without
// touching the View's. Trait values are shared: they are replaced, never
// changed in place.
func clone(p *rapport.Profile) *rapport.Profile {
	c := *p
	c.Identities = slices.Clone(p.Identities)
	c.Traits = maps.Clone(p.Traits)
	if c.Traits == nil {
		c.Traits = map[string]any{}
	}
	c.TraitTimes = maps.Clone(p.TraitTimes)
	c.Groups = slices.Clone(p.Groups)
	c.Consents = maps.Clone(p.Consents)
	a := &c.Aggregates
	a.Events = maps.Clone(a.Events)
	a.Channels = maps.Clone(a.Channels)
	a.PurchaseChannels = maps.Clone(a.PurchaseChannels)
	a.Categories = maps.Clone(a.Categories)
	a.Brands = maps.Clone(a.Brands)
	a.Browsers = maps.Clone(a.Browsers)
	a.Referrers = maps.Clone(a.Referrers)
	a.OrderWeekdays = maps.Clone(a.OrderWeekdays)
	a.OrderDayparts = maps.Clone(a.OrderDayparts)
	a.Recent = a.Recent.Clone()
	a.SessionRuns = a.SessionRuns.Clone()
	a.Firsts = a.Firsts.Clone()
	return &c
}

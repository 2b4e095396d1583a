package profile

import (
	"time"

	"github.com/rapportdev/rapport"
)

// setTraits merges traits into p by event time: a key takes the value of
// the event that happened last. An older event arriving late fills keys
// never set but overwrites none; on equal times the later event in the log
// (this one) wins.
func setTraits(p *rapport.Profile, traits map[string]any, t time.Time) {
	for k, v := range traits {
		if _, have := p.Traits[k]; have && t.Before(p.TraitTimes[k]) {
			continue
		}
		setTrait(p, k, v, t)
	}
}

func setTrait(p *rapport.Profile, k string, v any, t time.Time) {
	if p.Traits == nil {
		p.Traits = map[string]any{}
	}
	if p.TraitTimes == nil {
		p.TraitTimes = map[string]time.Time{}
	}
	p.Traits[k] = v
	p.TraitTimes[k] = t
}

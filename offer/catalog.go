package offer

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rapportdev/rapport"
)

// Offer is a catalog entry compiled: its eligibility rule (nil for
// everyone) and its answer window.
type Offer struct {
	def    *rapport.Offer
	rule   *Rule
	window time.Duration
}

// Definition returns the offer as declared.
func (o *Offer) Definition() *rapport.Offer { return o.def }

// Window returns how long a shown offer waits for an answer.
func (o *Offer) Window() time.Duration { return o.window }

// CompileOffer validates an offer and compiles its eligibility.
func CompileOffer(def *rapport.Offer) (*Offer, error) {
	if err := def.Validate(); err != nil {
		return nil, err
	}
	window, err := def.AnswerWindow()
	if err != nil {
		return nil, err
	}
	o := &Offer{def: def, window: window}
	if strings.TrimSpace(def.Eligibility) != "" {
		if o.rule, err = Compile(def.ID, def.Eligibility); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// Trigger is a trigger compiled: its condition (nil for always).
type Trigger struct {
	def  *rapport.Trigger
	rule *Rule
}

// Definition returns the trigger as declared.
func (t *Trigger) Definition() *rapport.Trigger { return t.def }

// CompileTrigger validates a trigger and compiles its condition.
func CompileTrigger(def *rapport.Trigger) (*Trigger, error) {
	if err := def.Validate(); err != nil {
		return nil, err
	}
	t := &Trigger{def: def}
	if strings.TrimSpace(def.Condition) != "" {
		var err error
		if t.rule, err = Compile(def.ID, def.Condition); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// Catalog is one generation of compiled offers and triggers, read by many
// decisions at once and replaced whole when the catalog changes.
type Catalog struct {
	offers   []*Offer // by id
	byID     map[string]*Offer
	triggers map[string][]*Trigger // by event name
}

// NewCatalog builds a catalog of compiled offers and triggers; ids must
// be unique.
func NewCatalog(offers []*Offer, triggers []*Trigger) (*Catalog, error) {
	c := &Catalog{byID: make(map[string]*Offer, len(offers)), triggers: map[string][]*Trigger{}}
	for _, o := range offers {
		if _, dup := c.byID[o.def.ID]; dup {
			return nil, rapport.Errorf(rapport.EINVALID, "offer %s: declared twice", o.def.ID)
		}
		c.byID[o.def.ID] = o
		c.offers = append(c.offers, o)
	}
	slices.SortFunc(c.offers, func(a, b *Offer) int { return strings.Compare(a.def.ID, b.def.ID) })
	seen := map[string]bool{}
	for _, t := range triggers {
		if seen[t.def.ID] {
			return nil, rapport.Errorf(rapport.EINVALID, "trigger %s: declared twice", t.def.ID)
		}
		seen[t.def.ID] = true
		c.triggers[t.def.Event] = append(c.triggers[t.def.Event], t)
	}
	return c, nil
}

// Offers returns the compiled offers, by id.
func (c *Catalog) Offers() []*Offer { return c.offers }

// Offer returns the offer with id, or nil.
func (c *Catalog) Offer(id string) *Offer { return c.byID[id] }

// Triggers returns the triggers listening for an event: its event name
// for a track call, else its type ("page").
func (c *Catalog) Triggers(e *rapport.Event) []*Trigger {
	return c.triggers[EventName(e)]
}

// HasTriggers reports whether any trigger is declared.
func (c *Catalog) HasTriggers() bool { return len(c.triggers) > 0 }

// EventName is the name triggers and Env.Event know an event by.
func EventName(e *rapport.Event) string {
	if e.Type == rapport.EventTrack {
		return e.Event
	}
	return string(e.Type)
}

// ContextOf returns the decision context a trigger's event gives, for
// channel: zone and beacon from the event's properties (zone; beacon,
// beacon_id or beaconId), the page from context.page.path (or a page
// call's path property), the time zone from context.timezone.
func ContextOf(e *rapport.Event, channel string) rapport.DecisionContext {
	c := rapport.DecisionContext{Channel: channel, Properties: e.Properties}
	c.Zone = text(e.Properties["zone"])
	for _, k := range []string{"beacon", "beacon_id", "beaconId"} {
		if c.Beacon == "" {
			c.Beacon = text(e.Properties[k])
		}
	}
	if page, ok := e.Context["page"].(map[string]any); ok {
		c.Page = text(page["path"])
	}
	if c.Page == "" && e.Type == rapport.EventPage {
		c.Page = text(e.Properties["path"])
	}
	c.Timezone = text(e.Context["timezone"])
	return c
}

// text returns v when it is a string, its decimal form when a number.
func text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64, int, int64:
		return fmt.Sprint(x)
	}
	return ""
}

package config

import (
	"errors"
	"fmt"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/offer"
)

// Offers is rapport.yaml's offers section: the decision policy, the
// catalog and the triggers (docs/offers.md). Settings left out keep
// offer.DefaultPolicy.
//
//	offers:
//	  control: 0.05
//	  explore: 0.05
//	  learn_by: [vip, gourmets]
//	  suppression: {after: 4, cooldown: 14d}
//	  retirement: {floor: 0.01, confidence: 0.95, min_answers: 200}
//	  caps: {email: 1, push: 3, beacon: 3}
//	  quiet_hours: {from: "21:00", to: "08:00", channels: [email, sms, push, beacon, call_centre]}
//	  retention: 400d
//	  catalog:
//	    - id: deli-coupon
//	      title: 10% off at the deli
//	      channels: [beacon, web]
//	      eligibility: zone == "deli" && "gourmets" in segments
//	      value: 4.5
//	      stage: activation
//	  triggers:
//	    - id: deli-zone
//	      event: Beacon Entered
//	      condition: properties.zone == "deli"
//	      channel: beacon
type Offers struct {
	policy   offer.Policy
	catalog  []*rapport.Offer
	triggers []*rapport.Trigger
	// retention is how long decisions and outcomes are kept whole; 0
	// keeps them forever.
	retention time.Duration
	// set is whether the section was read: the zero value is the defaults.
	set bool
}

// MinOfferRetention is the shortest retention accepted (other than 0,
// which keeps everything): a month of people's answers, and never less
// than suppression and caps read back.
const MinOfferRetention = 30 * 24 * time.Hour

// Retention returns how long decisions and outcomes are kept whole before
// they are rolled up into daily counts; 0 keeps them forever.
func (o Offers) Retention() time.Duration {
	if !o.set {
		return rapport.DefaultOfferRetention
	}
	return o.retention
}

// Policy returns the decision policy the section declares, defaults
// filled in.
func (o Offers) Policy() offer.Policy {
	if !o.set {
		return offer.DefaultPolicy()
	}
	return o.policy
}

// Catalog returns the offers declared, compiled once to check them.
func (o Offers) Catalog() []*rapport.Offer { return o.catalog }

// Triggers returns the triggers declared.
func (o Offers) Triggers() []*rapport.Trigger { return o.triggers }

// UnmarshalYAML reads the section field by field, so that an unknown
// field, a value out of range or an expression that does not compile
// names its line.
func (o *Offers) UnmarshalYAML(n *yaml.Node) error {
	*o = Offers{policy: offer.DefaultPolicy(), retention: rapport.DefaultOfferRetention, set: true}
	if isNull(n) {
		return nil
	}
	p := &o.policy
	var supp, retire, quiet, caps, consent, catalog, triggers, retention yaml.Node
	var timezone string
	if err := readFields(n, "offers", map[string]any{
		"control": &p.ControlShare, "explore": &p.Explore, "learn_by": &p.LearnBy, "prior_weight": &p.PriorWeight,
		"limit": &p.Limit, "timezone": &timezone, "suppression": &supp, "retirement": &retire, "quiet_hours": &quiet,
		"caps": &caps, "consent": &consent, "catalog": &catalog, "triggers": &triggers, "retention": &retention,
	}); err != nil {
		return err
	}
	if timezone != "" {
		loc, err := time.LoadLocation(timezone)
		if err != nil {
			return fmt.Errorf("offers.timezone: %q is not an IANA time zone", timezone)
		}
		p.Timezone = loc
	}
	for _, read := range []func() error{
		func() error { return readSuppression(&supp, &p.Suppression) },
		func() error { return readRetirement(&retire, &p.Retirement) },
		func() error { return readQuietHours(&quiet, &p.QuietHours) },
		func() error { return readMap(&caps, "offers.caps", &p.ChannelCaps) },
		func() error { return readConsent(&consent, p.ConsentFor) },
	} {
		if err := read(); err != nil {
			return err
		}
	}
	if err := p.Validate(); err != nil {
		return fmt.Errorf("line %d: offers: %s", n.Line, rapport.ErrorMessage(err))
	}
	if err := readRetention(&retention, p.Suppression, &o.retention); err != nil {
		return err
	}
	var err error
	if o.catalog, err = readCatalog(&catalog); err != nil {
		return err
	}
	o.triggers, err = readTriggers(&triggers)
	return err
}

// isNull reports whether n is absent or written as null.
func isNull(n *yaml.Node) bool {
	return n.Kind == 0 || n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// readFields decodes a mapping's values into fields by key, refusing a
// key that is unknown or given twice; a yaml.Node field receives the value
// undecoded.
func readFields(n *yaml.Node, section string, fields map[string]any) error {
	_, err := readFieldLines(n, section, fields)
	return err
}

// readFieldLines is readFields that also returns the line of each key
// read.
func readFieldLines(n *yaml.Node, section string, fields map[string]any) (map[string]int, error) {
	if n.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: %s: want a mapping", n.Line, section)
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, value := n.Content[i], n.Content[i+1]
		dst, ok := fields[key.Value]
		if !ok {
			return nil, fmt.Errorf("line %d: field %s not found in %s", key.Line, key.Value, section)
		}
		if seen[key.Value] > 0 {
			return nil, fmt.Errorf("line %d: %s.%s is set twice", key.Line, section, key.Value)
		}
		seen[key.Value] = key.Line
		if node, ok := dst.(*yaml.Node); ok {
			*node = *value
			continue
		}
		if err := value.Decode(dst); err != nil {
			return nil, fmt.Errorf("%s.%s: %w", section, key.Value, err)
		}
	}
	return seen, nil
}

// readDuration reads "14d", "12h" or "30m" at a node.
func readDuration(n *yaml.Node, field string, d *time.Duration) error {
	if isNull(n) {
		return nil
	}
	v, err := rapport.ParseDays(n.Value)
	if err != nil || v < 0 {
		return fmt.Errorf("line %d: %s: %q is not a duration such as 30m, 12h or 14d", n.Line, field, n.Value)
	}
	*d = v
	return nil
}

// readRetention reads offers.retention: 0 keeps everything, anything
// else must keep a month and what suppression reads back (twice its
// cooldown).
func readRetention(n *yaml.Node, supp offer.Suppression, d *time.Duration) error {
	if err := readDuration(n, "offers.retention", d); err != nil {
		return err
	}
	least := max(MinOfferRetention, 2*supp.Cooldown)
	if *d != 0 && *d < least {
		return fmt.Errorf("line %d: offers.retention: %s keeps less than %d days (a month, and twice the suppression cooldown); "+
			"0 keeps everything", n.Line, n.Value, int(least.Hours()/24))
	}
	return nil
}

func readSuppression(n *yaml.Node, s *offer.Suppression) error {
	if isNull(n) {
		return nil
	}
	var cooldown yaml.Node
	if err := readFields(n, "offers.suppression", map[string]any{"after": &s.After, "cooldown": &cooldown}); err != nil {
		return err
	}
	return readDuration(&cooldown, "offers.suppression.cooldown", &s.Cooldown)
}

func readRetirement(n *yaml.Node, r *offer.Retirement) error {
	if isNull(n) {
		return nil
	}
	return readFields(n, "offers.retirement", map[string]any{"floor": &r.Floor, "confidence": &r.Confidence,
		"min_answers": &r.MinAnswers})
}

// readQuietHours reads from, to and channels; null turns quiet hours off.
func readQuietHours(n *yaml.Node, q *offer.QuietHours) error {
	if n.Kind == 0 {
		return nil
	}
	if isNull(n) {
		*q = offer.QuietHours{}
		return nil
	}
	var from, to string
	if err := readFields(n, "offers.quiet_hours", map[string]any{"from": &from, "to": &to, "channels": &q.Channels}); err != nil {
		return err
	}
	for _, f := range []struct {
		text string
		dst  *int
	}{{from, &q.From}, {to, &q.To}} {
		if f.text == "" {
			continue
		}
		m, err := offer.ParseClock(f.text)
		if err != nil {
			return fmt.Errorf("line %d: offers.quiet_hours: %s", n.Line, rapport.ErrorMessage(err))
		}
		*f.dst = m
	}
	return nil
}

// readMap reads a mapping that replaces a default map whole.
func readMap[V any](n *yaml.Node, field string, dst *map[string]V) error {
	if n.Kind == 0 {
		return nil
	}
	m := map[string]V{}
	if !isNull(n) {
		if err := n.Decode(&m); err != nil {
			return fmt.Errorf("line %d: %s: %w", n.Line, field, err)
		}
	}
	*dst = m
	return nil
}

// readConsent changes the contact channel some channels need consent for.
// It adds to the defaults rather than replacing them, so that leaving a
// channel out never drops its check; "none" says a channel needs none.
func readConsent(n *yaml.Node, consentFor map[string]string) error {
	if isNull(n) {
		return nil
	}
	m := map[string]string{}
	if err := n.Decode(&m); err != nil {
		return fmt.Errorf("line %d: offers.consent: %w", n.Line, err)
	}
	for ch, contact := range m {
		if contact == "none" {
			delete(consentFor, ch)
			continue
		}
		consentFor[ch] = contact
	}
	return nil
}

// readCatalog reads and compiles each offer of the catalog.
func readCatalog(n *yaml.Node) ([]*rapport.Offer, error) {
	if isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("line %d: offers.catalog: want a list of offers", n.Line)
	}
	var out []*rapport.Offer
	for i, item := range n.Content {
		where := fmt.Sprintf("offers.catalog[%d]", i)
		o, lines, err := readOffer(item, where)
		if err != nil {
			return nil, err
		}
		if _, err := offer.CompileOffer(o); err != nil {
			return nil, located(err, item.Line, lines["eligibility"], where, "eligibility")
		}
		out = append(out, o)
	}
	return out, nil
}

func readOffer(n *yaml.Node, where string) (*rapport.Offer, map[string]int, error) {
	o := &rapport.Offer{}
	var caps yaml.Node
	lines, err := readFieldLines(n, where, map[string]any{
		"id": &o.ID, "title": &o.Title, "payload": &o.Payload, "channels": &o.Channels, "eligibility": &o.Eligibility,
		"value": &o.Value, "stage": &o.Stage, "category": &o.Category, "start": &o.Start, "end": &o.End,
		"caps": &caps, "window": &o.Window, "paused": &o.Paused,
	})
	if err != nil {
		return nil, nil, err
	}
	if !isNull(&caps) {
		if err := readFields(&caps, where+".caps", map[string]any{"per_day": &o.Caps.PerDay, "per_week": &o.Caps.PerWeek}); err != nil {
			return nil, nil, err
		}
	}
	return o, lines, nil
}

// readTriggers reads and compiles each trigger.
func readTriggers(n *yaml.Node) ([]*rapport.Trigger, error) {
	if isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("line %d: offers.triggers: want a list of triggers", n.Line)
	}
	var out []*rapport.Trigger
	for i, item := range n.Content {
		where := fmt.Sprintf("offers.triggers[%d]", i)
		t := &rapport.Trigger{}
		lines, err := readFieldLines(item, where, map[string]any{"id": &t.ID, "event": &t.Event, "condition": &t.Condition,
			"channel": &t.Channel, "limit": &t.Limit, "paused": &t.Paused})
		if err != nil {
			return nil, err
		}
		if _, err := offer.CompileTrigger(t); err != nil {
			return nil, located(err, item.Line, lines["condition"], where, "condition")
		}
		out = append(out, t)
	}
	return out, nil
}

// located says where an offer's or trigger's problem is: a compile error
// at the line of its expression's field, with the position within the
// expression; anything else at the line of the entry.
func located(err error, entryLine, exprLine int, where, field string) error {
	var ce *offer.CompileError
	if errors.As(err, &ce) && exprLine > 0 {
		return fmt.Errorf("line %d: %s.%s: %s", exprLine, where, field, ce.Error())
	}
	return fmt.Errorf("line %d: %s: %s", entryLine, where, rapport.ErrorMessage(err))
}

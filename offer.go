package rapport

import (
	"context"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Offer channels: where an offer reaches a person.
const (
	ChannelWeb        = "web"
	ChannelEmail      = "email"
	ChannelPush       = "push"
	ChannelSMS        = "sms"
	ChannelBeacon     = "beacon"
	ChannelCallCentre = "call_centre"
)

// OfferChannels lists the channels an offer may name.
var OfferChannels = []string{ChannelWeb, ChannelEmail, ChannelPush, ChannelSMS, ChannelBeacon, ChannelCallCentre}

// Relationship stages an offer serves: getting attention, getting the
// customer to act in a way that raises their value, keeping them loyal.
const (
	StageAcquisition = "acquisition"
	StageActivation  = "activation"
	StageActivity    = "activity"
)

// OfferStages lists the stages in the order a relationship goes through
// them.
var OfferStages = []string{StageAcquisition, StageActivation, StageActivity}

// DefaultOfferWindow is how long a shown offer waits for an answer before
// it counts as ignored, when the offer says nothing.
const DefaultOfferWindow = 24 * time.Hour

// Offer is an entry of the offer catalog: what a channel may show a person
// who is eligible for it, and what an accept is worth.
type Offer struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Payload is what the channel shows (text, image URL, coupon code),
	// passed through as given.
	Payload  map[string]any `json:"payload,omitempty"`
	Channels []string       `json:"channels"`
	// Eligibility is an expression in the segment language over the
	// profile and the decision's context (docs/offers.md); empty means
	// everyone.
	Eligibility string `json:"eligibility,omitempty"`
	// Value is what one accept is worth to the business, in any unit as
	// long as every offer uses the same; ranking multiplies it by the
	// learned probability of an accept.
	Value float64 `json:"value"`
	// Stage is the relationship stage the offer serves (OfferStages).
	Stage string `json:"stage"`
	// Category groups offers for reports ("deli", "loyalty").
	Category string `json:"category,omitempty"`
	// Start and End bound when the offer may be shown; zero is unbounded.
	Start time.Time `json:"start,omitzero"`
	End   time.Time `json:"end,omitzero"`
	// Caps bound how often one person is shown the offer.
	Caps OfferCaps `json:"caps,omitzero"`
	// Window is how long a shown offer waits for an answer before it
	// counts as ignored ("30m", "24h", "2d"); empty means
	// DefaultOfferWindow.
	Window    string    `json:"window,omitempty"`
	Paused    bool      `json:"paused,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// OfferCaps bound how often one person sees one offer, counted in shown
// outcomes over the person's local day and the last seven days; zero is no
// cap.
type OfferCaps struct {
	PerDay  int `json:"perDay,omitempty"`
	PerWeek int `json:"perWeek,omitempty"`
}

// offerIDPattern is what offer and trigger ids may be: they appear in
// URLs, reports and webhook payloads.
var offerIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// Validate returns an EINVALID error naming the first field that is
// wrong. The eligibility expression is compiled by package offer, not
// here.
func (o *Offer) Validate() error {
	switch {
	case !offerIDPattern.MatchString(o.ID):
		return Errorf(EINVALID, "id %q: want lower-case letters, digits, - and _, at most 64", o.ID)
	case strings.TrimSpace(o.Title) == "":
		return Errorf(EINVALID, "offer %s: title: required", o.ID)
	case len(o.Channels) == 0:
		return Errorf(EINVALID, "offer %s: channels: name at least one of %s", o.ID, strings.Join(OfferChannels, ", "))
	case !(o.Value > 0) || math.IsInf(o.Value, 0):
		return Errorf(EINVALID, "offer %s: value: must be a positive number", o.ID)
	case !slices.Contains(OfferStages, o.Stage):
		return Errorf(EINVALID, "offer %s: stage %q: want one of %s", o.ID, o.Stage, strings.Join(OfferStages, ", "))
	case !o.End.IsZero() && !o.End.After(o.Start):
		return Errorf(EINVALID, "offer %s: end must be after start", o.ID)
	case o.Caps.PerDay < 0 || o.Caps.PerWeek < 0:
		return Errorf(EINVALID, "offer %s: caps must not be negative", o.ID)
	}
	for _, ch := range o.Channels {
		if !slices.Contains(OfferChannels, ch) {
			return Errorf(EINVALID, "offer %s: channel %q: want one of %s", o.ID, ch, strings.Join(OfferChannels, ", "))
		}
	}
	if _, err := o.AnswerWindow(); err != nil {
		return err
	}
	return nil
}

// AnswerWindow returns how long a shown offer waits for an answer.
func (o *Offer) AnswerWindow() (time.Duration, error) {
	if o.Window == "" {
		return DefaultOfferWindow, nil
	}
	d, err := ParseDays(o.Window)
	if err != nil || d <= 0 {
		return 0, Errorf(EINVALID, "offer %s: window %q: want a positive duration such as 30m, 24h or 2d", o.ID, o.Window)
	}
	return d, nil
}

// ParseDays reads a duration as time.ParseDuration does, and also a
// number of days ("2d") or weeks ("2w").
func ParseDays(s string) (time.Duration, error) {
	unit := time.Duration(0)
	switch {
	case strings.HasSuffix(s, "d"):
		unit = 24 * time.Hour
	case strings.HasSuffix(s, "w"):
		unit = 7 * 24 * time.Hour
	default:
		return time.ParseDuration(s)
	}
	n, err := strconv.ParseFloat(s[:len(s)-1], 64)
	if err != nil || math.IsNaN(n) || math.Abs(n) > 1e5 {
		return 0, Errorf(EINVALID, "duration %q: want e.g. 30m, 12h, 2d or 1w", s)
	}
	return time.Duration(n * float64(unit)), nil
}

// Runs reports whether the offer may be shown at t: not paused, and
// within its start and end.
func (o *Offer) Runs(t time.Time) bool {
	return !o.Paused && (o.Start.IsZero() || !t.Before(o.Start)) && (o.End.IsZero() || t.Before(o.End))
}

// Outcome types: what became of an offer a decision returned.
const (
	OutcomeShown     = "shown"
	OutcomeClicked   = "clicked"
	OutcomeAccepted  = "accepted"
	OutcomeDismissed = "dismissed"
	OutcomeConverted = "converted"
	// OutcomeIgnored is recorded by Rapport, not sent: a shown offer
	// with no answer within its window.
	OutcomeIgnored = "ignored"
)

// OutcomeTypes lists the outcome types, OutcomeIgnored last.
var OutcomeTypes = []string{OutcomeShown, OutcomeClicked, OutcomeAccepted, OutcomeDismissed, OutcomeConverted, OutcomeIgnored}

// Outcome is one thing that became of one offer of one decision. A
// decision's offer has at most one outcome of each type.
type Outcome struct {
	DecisionID string `json:"decisionId"`
	OfferID    string `json:"offerId"`
	ProfileID  string `json:"profileId,omitempty"`
	Type       string `json:"type"`
	Channel    string `json:"channel"`
	// Arm is the group whose posterior the outcome teaches (a segment, a
	// lifecycle stage or "all"), as the decision chose it.
	Arm string `json:"arm"`
	// Control is whether the decision was for the control group.
	Control bool `json:"control,omitempty"`
	// Revenue is what a conversion brought.
	Revenue float64   `json:"revenue,omitempty"`
	At      time.Time `json:"at"`
	// Due is, for a shown outcome, when it counts as ignored without an
	// answer.
	Due time.Time `json:"due,omitzero"`
}

// Validate returns an EINVALID error for an outcome a store must refuse.
func (o *Outcome) Validate() error {
	switch {
	case o.DecisionID == "" || o.OfferID == "":
		return Errorf(EINVALID, "outcome needs a decisionId and an offerId")
	case !slices.Contains(OutcomeTypes, o.Type):
		return Errorf(EINVALID, "outcome type %q: want one of %s", o.Type, strings.Join(OutcomeTypes, ", "))
	case !(o.Revenue >= 0) || math.IsInf(o.Revenue, 0):
		return Errorf(EINVALID, "outcome revenue: must be a non-negative number")
	case o.At.IsZero():
		return Errorf(EINVALID, "outcome needs a time")
	}
	return nil
}

// Answers reports whether the outcome answers a shown offer, so that it
// no longer counts as ignored: anything but shown.
func (o *Outcome) Answers() bool { return o.Type != OutcomeShown }

// DecisionContext is where and when a decision is asked for.
type DecisionContext struct {
	Channel string `json:"channel"`
	// Zone is a place in a shop ("deli"), Beacon the id of the beacon that
	// saw the person, Page the page they are on.
	Zone   string `json:"zone,omitempty"`
	Beacon string `json:"beacon,omitempty"`
	Page   string `json:"page,omitempty"`
	// Time is the time of the decision; zero means now.
	Time time.Time `json:"time,omitzero"`
	// Timezone is the person's IANA time zone, for quiet hours and caps
	// per day; empty means the profile's timezone trait, else the
	// configured default.
	Timezone string `json:"timezone,omitempty"`
	// Properties are more facts eligibility may read (`properties.aisle`).
	Properties map[string]any `json:"properties,omitempty"`
}

// ConsentCheck is the consent check made for a decision, recorded with
// it: the contact channel the decision's channel needs consent for, and
// the record that answered.
type ConsentCheck struct {
	// Channel is the contact channel (ConsentChannels) consent was checked
	// for; empty when the decision's channel needs none (the web page the
	// person is on).
	Channel string `json:"channel,omitempty"`
	// Result is ConsentNotRequired, ConsentGranted or ConsentRefused.
	Result string `json:"result"`
	// Detail says why a refusal: "no record" or "withdrawn".
	Detail string `json:"detail,omitempty"`
	// At and MessageID identify the consent record read, if any.
	At        time.Time `json:"at,omitzero"`
	MessageID string    `json:"messageId,omitempty"`
}

// Allowed reports whether the check lets offers through.
func (c ConsentCheck) Allowed() bool {
	return c.Result == ConsentGranted || c.Result == ConsentNotRequired
}

// RankedOffer is an offer a decision returns, with why it is there.
type RankedOffer struct {
	OfferID string         `json:"offerId"`
	Title   string         `json:"title"`
	Payload map[string]any `json:"payload,omitempty"`
	Rank    int            `json:"rank"`
	// PAccept is the probability of an accept the ranking used (a draw
	// from the posterior for the treatment group); Mean is the posterior
	// mean.
	PAccept float64 `json:"pAccept"`
	Mean    float64 `json:"mean"`
	Value   float64 `json:"value"`
	// ExpectedValue is PAccept × Value.
	ExpectedValue float64 `json:"expectedValue"`
	// Explore is set when the offer was put first by the exploration
	// floor rather than by its expected value.
	Explore bool   `json:"explore,omitempty"`
	Reason  string `json:"reason"`
}

// Exclusion is an eligible offer a decision left out, and why
// (suppressed, capped, retired for the person's group).
type Exclusion struct {
	OfferID string `json:"offerId"`
	Reason  string `json:"reason"`
}

// Decision is the answer to "which offers for this person, here and now",
// recorded with the consent check made for it.
type Decision struct {
	ID        string          `json:"id"`
	ProfileID string          `json:"profileId,omitempty"`
	At        time.Time       `json:"at"`
	Context   DecisionContext `json:"context"`
	// Control is whether the person is in the control group, which gets
	// no personalisation (docs/offers.md).
	Control bool `json:"control"`
	// Arm is the group whose posteriors ranked the offers.
	Arm     string        `json:"arm"`
	Consent ConsentCheck  `json:"consent"`
	Offers  []RankedOffer `json:"offers"`
	// Blocked says why no offer was considered at all (consent, quiet
	// hours, the channel's cap for the day); empty otherwise.
	Blocked  string      `json:"blocked,omitempty"`
	Excluded []Exclusion `json:"excluded,omitempty"`
	// Trigger names the trigger that asked for the decision, if any.
	Trigger string `json:"trigger,omitempty"`
}

// Offered returns the ranked offer with id, or nil.
func (d *Decision) Offered(id string) *RankedOffer {
	for i := range d.Offers {
		if d.Offers[i].OfferID == id {
			return &d.Offers[i]
		}
	}
	return nil
}

// Trigger is a real-time rule: when an event named Event is applied and
// Condition holds for the person and the event, decide for Channel and
// send the decision to webhooks subscribed to NotifyOfferDecided.
type Trigger struct {
	ID string `json:"id"`
	// Event is a track call's event name ("Beacon Entered"), or the type
	// of another call ("page").
	Event string `json:"event"`
	// Condition is an expression over the profile, the event (`event`,
	// `properties`) and the context taken from it; empty means always.
	Condition string `json:"condition,omitempty"`
	Channel   string `json:"channel"`
	// Limit is how many offers the decision sends, at most (default 1).
	Limit     int       `json:"limit,omitempty"`
	Paused    bool      `json:"paused,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// NotifyOfferDecided is the notification type of a trigger's decision.
const NotifyOfferDecided = "offer.decided"

// Validate returns an EINVALID error naming the first field that is
// wrong; package offer compiles the condition.
func (t *Trigger) Validate() error {
	switch {
	case !offerIDPattern.MatchString(t.ID):
		return Errorf(EINVALID, "id %q: want lower-case letters, digits, - and _, at most 64", t.ID)
	case strings.TrimSpace(t.Event) == "":
		return Errorf(EINVALID, "trigger %s: event: required", t.ID)
	case !slices.Contains(OfferChannels, t.Channel):
		return Errorf(EINVALID, "trigger %s: channel %q: want one of %s", t.ID, t.Channel, strings.Join(OfferChannels, ", "))
	case t.Limit < 0 || t.Limit > 20:
		return Errorf(EINVALID, "trigger %s: limit: 0 to 20", t.ID)
	}
	return nil
}

// OfferStats counts the outcomes of one offer in one arm, for the control
// group or the rest.
type OfferStats struct {
	OfferID string `json:"offerId"`
	Arm     string `json:"arm"`
	Control bool   `json:"control"`
	// Counts holds the number of outcomes by type.
	Counts  map[string]int64 `json:"counts"`
	Revenue float64          `json:"revenue"`
}

// OutcomeFilter selects a person's outcomes.
type OutcomeFilter struct {
	ProfileID string
	// Since keeps outcomes at or after it.
	Since time.Time
	Limit int
}

// OfferStore keeps the offer catalog, the triggers, every decision and
// every outcome.
type OfferStore interface {
	// PutOffer creates the offer or replaces the one with its id;
	// EINVALID when it fails Validate.
	PutOffer(ctx context.Context, o *Offer) error
	// FindOffer returns the offer or ENOTFOUND.
	FindOffer(ctx context.Context, id string) (*Offer, error)
	// FindOffers returns every offer, by id.
	FindOffers(ctx context.Context) ([]*Offer, error)
	// DeleteOffer removes the offer (its decisions and outcomes stay, for
	// reports); ENOTFOUND when unknown.
	DeleteOffer(ctx context.Context, id string) error

	// PutTrigger creates or replaces a trigger; EINVALID when it fails
	// Validate.
	PutTrigger(ctx context.Context, t *Trigger) error
	// FindTriggers returns every trigger, by id.
	FindTriggers(ctx context.Context) ([]*Trigger, error)
	// DeleteTrigger removes a trigger; ENOTFOUND when unknown.
	DeleteTrigger(ctx context.Context, id string) error

	// CreateDecisions stores decisions, in one transaction; a decision
	// whose id is stored already is left as it is.
	CreateDecisions(ctx context.Context, decisions []*Decision) error
	// FindDecision returns the decision or ENOTFOUND.
	FindDecision(ctx context.Context, id string) (*Decision, error)

	// RecordOutcomes stores outcomes in one transaction and returns those
	// that were new: an outcome of a type its decision's offer already has
	// is skipped. A new shown outcome waits for an answer until its Due;
	// any other outcome answers it. EINVALID, storing nothing, when an
	// outcome fails Validate.
	RecordOutcomes(ctx context.Context, outcomes []Outcome) ([]Outcome, error)
	// FindOutcomes returns a person's outcomes, newest first.
	FindOutcomes(ctx context.Context, filter OutcomeFilter) ([]Outcome, error)
	// FindUnanswered returns up to limit shown outcomes due at or before
	// now that no other outcome has answered, the earliest due first.
	FindUnanswered(ctx context.Context, now time.Time, limit int) ([]Outcome, error)
	// FindOfferStats counts the outcomes at or after since (the zero time
	// for all) by offer, arm and control group, ordered by those. Outcomes
	// rolled up by TrimOffers count by their day: those of days starting
	// at or after since.
	FindOfferStats(ctx context.Context, since time.Time) ([]OfferStats, error)
	// FindOfferFunnel counts people per period and stage (FunnelCount),
	// in the database, ordered by period and stage; periods and stages
	// without anyone are absent. EINVALID when Length is not positive, To
	// is not after From, Origin is after From or a stage is unknown.
	FindOfferFunnel(ctx context.Context, q FunnelQuery) ([]FunnelCount, error)
	// TrimOffers rolls the outcomes recorded before `before` up into
	// daily counts per offer, arm, group and type, which FindOfferStats
	// goes on counting, then deletes them, the decisions made before
	// then and the answers they still waited for. It works in chunks of
	// an hour of records, each its own transaction, so decisions and
	// outcomes are never held up long. Trimming again is harmless.
	TrimOffers(ctx context.Context, before time.Time) (OfferTrim, error)
}

package offer

import (
	"fmt"
	"slices"
	"time"

	"github.com/rapportdev/rapport"
)

// Policy is how an Engine decides: the learning, the control group, and
// the rules that protect people from too many or unwanted offers. Start
// from DefaultPolicy and change what differs; the zero value turns every
// safeguard off.
type Policy struct {
	// ControlShare is the share of people (0 to 0.5) in the control
	// group: chosen by a stable hash of the profile id, they get the
	// eligible offers in random order, without suppression, so lift is
	// measured against no personalisation.
	ControlShare float64
	// Explore is the exploration floor: the share of treatment decisions
	// whose first offer is picked uniformly among the eligible ones
	// instead of by expected value, so no offer starves.
	Explore float64
	// LearnBy lists segment ids in order of preference: a person's
	// posteriors are those of the first listed segment they are in, else
	// of their lifecycle stage ("stage:lead"), else "all".
	LearnBy []string
	// PriorWeight is how many answers' worth of the offer's accept rate
	// over every group a group's posterior starts from, so a group with
	// little data borrows from the others.
	PriorWeight float64
	Suppression Suppression
	Retirement  Retirement
	// ChannelCaps bound the offers shown to one person per channel per
	// local day; a channel absent or 0 is not capped.
	ChannelCaps map[string]int
	QuietHours  QuietHours
	// ConsentFor names the contact channel (rapport.ConsentChannels) whose
	// consent a channel needs; a channel absent needs none.
	ConsentFor map[string]string
	// Timezone is the person's time zone when neither the decision nor
	// the profile's timezone trait names one. Nil means UTC.
	Timezone *time.Location
	// Limit is how many offers a decision returns when the request says
	// nothing.
	Limit int
}

// Suppression stops showing a person an offer they keep ignoring or
// dismissing: After such answers (counted since their last accept) hide
// it from them for Cooldown. After 0 never suppresses.
type Suppression struct {
	After    int
	Cooldown time.Duration
}

// Retirement stops showing an offer to a group whose accept rate is
// credibly below Floor: once the group has answered it MinAnswers times,
// and the posterior probability that its rate is below Floor is at least
// Confidence. Floor 0 never retires.
type Retirement struct {
	Floor      float64
	Confidence float64
	MinAnswers int64
}

// QuietHours hold offers on the listed channels between From and To,
// minutes after local midnight; From after To spans midnight (21:00 to
// 08:00). From equal to To means none.
type QuietHours struct {
	From, To int
	Channels []string
}

// DefaultPolicy returns the defaults docs/offers.md documents.
func DefaultPolicy() Policy {
	return Policy{
		ControlShare: 0.05,
		Explore:      0.05,
		PriorWeight:  10,
		Suppression:  Suppression{After: 4, Cooldown: 14 * 24 * time.Hour},
		Retirement:   Retirement{Floor: 0.01, Confidence: 0.95, MinAnswers: 200},
		ChannelCaps: map[string]int{rapport.ChannelEmail: 1, rapport.ChannelSMS: 1, rapport.ChannelPush: 3,
			rapport.ChannelBeacon: 3, rapport.ChannelCallCentre: 1},
		QuietHours: QuietHours{From: 21 * 60, To: 8 * 60, Channels: []string{rapport.ChannelEmail, rapport.ChannelSMS,
			rapport.ChannelPush, rapport.ChannelBeacon, rapport.ChannelCallCentre}},
		ConsentFor: map[string]string{rapport.ChannelEmail: "email", rapport.ChannelSMS: "sms", rapport.ChannelPush: "push",
			rapport.ChannelBeacon: "push", rapport.ChannelCallCentre: "phone"},
		Timezone: time.UTC,
		Limit:    3,
	}
}

// Validate returns an EINVALID error naming the first setting out of
// range.
func (p *Policy) Validate() error {
	switch {
	case !(p.ControlShare >= 0 && p.ControlShare <= 0.5):
		return rapport.Errorf(rapport.EINVALID, "control: a share from 0 to 0.5, not %v", p.ControlShare)
	case !(p.Explore >= 0 && p.Explore <= 1):
		return rapport.Errorf(rapport.EINVALID, "explore: a share from 0 to 1, not %v", p.Explore)
	case !(p.PriorWeight >= 0 && p.PriorWeight <= 1e6):
		return rapport.Errorf(rapport.EINVALID, "prior_weight: from 0 to 1000000, not %v", p.PriorWeight)
	case p.Suppression.After < 0 || p.Suppression.Cooldown < 0:
		return rapport.Errorf(rapport.EINVALID, "suppression: after and cooldown must not be negative")
	case !(p.Retirement.Floor >= 0 && p.Retirement.Floor < 1):
		return rapport.Errorf(rapport.EINVALID, "retirement.floor: a rate from 0 to below 1, not %v", p.Retirement.Floor)
	case !(p.Retirement.Confidence > 0.5 && p.Retirement.Confidence < 1) && p.Retirement.Floor > 0:
		return rapport.Errorf(rapport.EINVALID, "retirement.confidence: above 0.5 and below 1, not %v", p.Retirement.Confidence)
	case p.Retirement.MinAnswers < 0:
		return rapport.Errorf(rapport.EINVALID, "retirement.min_answers: must not be negative")
	case p.QuietHours.From < 0 || p.QuietHours.From >= 24*60 || p.QuietHours.To < 0 || p.QuietHours.To >= 24*60:
		return rapport.Errorf(rapport.EINVALID, "quiet_hours: from and to are times of day, 00:00 to 23:59")
	case p.Limit < 0 || p.Limit > 50:
		return rapport.Errorf(rapport.EINVALID, "limit: 0 to 50, not %d", p.Limit)
	}
	for ch, n := range p.ChannelCaps {
		if err := knownChannel("caps", ch); err != nil {
			return err
		}
		if n < 0 {
			return rapport.Errorf(rapport.EINVALID, "caps.%s: must not be negative", ch)
		}
	}
	for _, ch := range p.QuietHours.Channels {
		if err := knownChannel("quiet_hours.channels", ch); err != nil {
			return err
		}
	}
	for ch, contact := range p.ConsentFor {
		if err := knownChannel("consent", ch); err != nil {
			return err
		}
		if !slices.Contains(rapport.ConsentChannels, contact) {
			return rapport.Errorf(rapport.EINVALID, "consent.%s: %q is not a contact channel (%v)", ch, contact, rapport.ConsentChannels)
		}
	}
	return nil
}

func knownChannel(field, ch string) error {
	if !slices.Contains(rapport.OfferChannels, ch) {
		return rapport.Errorf(rapport.EINVALID, "%s: unknown channel %q (want one of %v)", field, ch, rapport.OfferChannels)
	}
	return nil
}

// ParseClock reads a time of day "HH:MM" as minutes after midnight.
func ParseClock(s string) (int, error) {
	var h, m int
	if n, err := fmt.Sscanf(s, "%d:%d", &h, &m); err != nil || n != 2 || len(s) != 5 || h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, rapport.Errorf(rapport.EINVALID, "time of day %q: want HH:MM, 00:00 to 23:59", s)
	}
	return h*60 + m, nil
}

// quiet reports whether local time t falls in the quiet hours of channel.
func (q QuietHours) quiet(channel string, t time.Time) bool {
	if q.From == q.To || !slices.Contains(q.Channels, channel) {
		return false
	}
	m := t.Hour()*60 + t.Minute()
	if q.From < q.To {
		return m >= q.From && m < q.To
	}
	return m >= q.From || m < q.To
}

// clock writes minutes after midnight as HH:MM.
func clock(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// Package offer decides which offers to show a person in a context, and
// learns from what people do with them. It is pure: data in, decisions
// out, no I/O and no wall clock (every call takes its time).
//
// A Catalog holds the offers and triggers compiled once: eligibility and
// trigger conditions are expressions in the segment language (package
// segment) over an Env that adds the decision's context (channel, zone,
// beacon, page, local hour and weekday) and, for triggers, the event.
//
// An Engine answers decisions. For one person it checks consent for the
// channel, quiet hours in the person's time zone and the channel's cap
// for the day; then every offer for the channel that runs now and whose
// eligibility holds, minus those capped, suppressed for the person (after
// Policy.Suppression.After ignores or dismissals, for a cooldown) or
// retired for the person's group (an accept rate credibly below
// Policy.Retirement.Floor); then ranks them by expected value, P(accept)
// × value, where P is a draw from a Beta posterior per offer and group
// (Thompson sampling), with an exploration floor. A stable share of
// people, the control group, gets the eligible offers in random order and
// no suppression, so the lift of personalisation is measured honestly
// (Report).
//
// The Learner keeps the posteriors: counts of outcomes per offer, group
// and control flag, fed by Observe. Summarize reads a person's recent
// outcomes for suppression and caps.
package offer

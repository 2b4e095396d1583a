package lead

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/rapportdev/rapport"
)

// Contact outcomes. The first attempt with a reached outcome is the first
// contact; converted is a sale; do_not_call withdraws the consent to be
// called.
var (
	reachedOutcomes    = []string{"reached", "appointment", "callback_requested", "not_interested", "converted", "do_not_call"}
	notReachedOutcomes = []string{"no_answer", "voicemail", "busy", "wrong_number", "invalid_number", "left_message"}
)

// Outcomes lists every outcome a contact attempt may have.
func Outcomes() []string { return slices.Concat(reachedOutcomes, notReachedOutcomes) }

// CheckContact validates a contact attempt, lower-cases its outcome and
// channel, and sets Reached and Converted from the outcome. The channel
// defaults to phone.
func CheckContact(c *rapport.LeadContact) error {
	c.Outcome = strings.ToLower(strings.TrimSpace(c.Outcome))
	c.Channel = strings.ToLower(strings.TrimSpace(c.Channel))
	if c.Channel == "" {
		c.Channel = "phone"
	}
	switch {
	case c.LeadID == "":
		return rapport.Errorf(rapport.EINVALID, "leadId: required")
	case c.At.IsZero():
		return rapport.Errorf(rapport.EINVALID, "at: required, the time of the attempt")
	case !slices.Contains(Outcomes(), c.Outcome):
		return rapport.Errorf(rapport.EINVALID, "outcome: must be one of %s", strings.Join(Outcomes(), ", "))
	case !slices.Contains(rapport.ConsentChannels, c.Channel):
		return rapport.Errorf(rapport.EINVALID, "channel: must be one of %s", strings.Join(rapport.ConsentChannels, ", "))
	case !finiteNonNeg(c.Value):
		return rapport.Errorf(rapport.EINVALID, "value: must be a finite amount, not negative")
	case len(c.MessageID) > 100:
		return rapport.Errorf(rapport.EINVALID, "messageId: longer than 100 characters")
	}
	for _, s := range []string{c.Agent, c.Team, c.MessageID, c.LeadID} {
		if len(s) > 200 || !textOK(s) {
			return rapport.Errorf(rapport.EINVALID, "leadId, agent, team and messageId: at most 200 bytes of UTF-8 text")
		}
	}
	c.Reached = slices.Contains(reachedOutcomes, c.Outcome)
	c.Converted = c.Outcome == "converted"
	return nil
}

// textOK reports whether s is UTF-8 text without NUL.
func textOK(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

package offer

import (
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/segment"
)

// Env is what an eligibility or trigger expression sees: everything a
// segment rule sees of the person (segment.Env: traits, aggregates, the 3D
// score, segments, count and bought), and the decision's context.
type Env struct {
	segment.Env
	Channel string `expr:"channel"`
	Zone    string `expr:"zone"`
	Beacon  string `expr:"beacon"`
	Page    string `expr:"page"`
	// Hour (0-23) and Weekday (mon … sun) are the person's local time.
	Hour    int    `expr:"hour"`
	Weekday string `expr:"weekday"`
	// Event is the name of the event that fired a trigger (a track's
	// event name, else the call's type); "" for a decision asked through
	// the API.
	Event string `expr:"event"`
	// Properties are the triggering event's properties, or the decision
	// context's.
	Properties map[string]any `expr:"properties"`
}

// weekdays are the names Weekday takes, Sunday first as time.Weekday.
var weekdays = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// NewEnv builds the Env of a person (p and score may be nil) in a
// context, at now in the person's location loc.
func NewEnv(p *rapport.Profile, score *rapport.ScoreRecord, segments []string, c rapport.DecisionContext, now time.Time, loc *time.Location) Env {
	var h *rapport.EventHistory
	if p != nil {
		h = &p.Aggregates.Recent
	}
	env := Env{Env: segment.NewEnv(p, score, h, segment.RFM{}, now)}
	env.Segments = segments
	local := now.In(loc)
	env.Channel, env.Zone, env.Beacon, env.Page = c.Channel, c.Zone, c.Beacon, c.Page
	env.Hour, env.Weekday = local.Hour(), weekdays[local.Weekday()]
	env.Properties = c.Properties
	return env
}

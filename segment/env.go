package segment

import (
	"time"

	"github.com/rapportdev/rapport"
)

// NeverDays is what days_since_last_order and days_since_last_seen read
// for a profile that never ordered or was never seen: more than any real
// gap, so that "days_since_last_order > 90" holds for people who never
// ordered.
const NeverDays = 1_000_000

// Env is what a segment expression sees of one profile. Field names in
// expressions are the snake_case names of the expr tags. Maps alias the
// profile's own maps: an Env is read, never written.
//
// Functions, set by NewEnv:
//
//	count(name, days)        events named name in the last days days (from the
//	                         profile's rapport.EventHistory)
//	bought(category, from, to)  bought category on a day within the month-day
//	                         window from..to ("02-07", "02-14") in any year
//	has_trait(name)          the trait is set to a non-null value
type Env struct {
	Traits map[string]any `expr:"traits"`
	// Events counts events by name over the profile's whole life.
	Events           map[string]int64 `expr:"events"`
	Channels         map[string]int64 `expr:"channels"`
	PurchaseChannels map[string]int64 `expr:"purchase_channels"`
	// Browsers and Referrers count events by browser family and by
	// source; OrderWeekdays (mon … sun) and OrderDayparts (night, morning,
	// afternoon, evening) count orders by when they were placed.
	Browsers      map[string]int64   `expr:"browsers"`
	Referrers     map[string]int64   `expr:"referrers"`
	OrderWeekdays map[string]int64   `expr:"order_weekdays"`
	OrderDayparts map[string]int64   `expr:"order_dayparts"`
	Categories    map[string]float64 `expr:"categories"` // revenue by category
	Brands        map[string]float64 `expr:"brands"`     // revenue by brand

	Orders  int     `expr:"orders"`
	Revenue float64 `expr:"revenue"`
	Margin  float64 `expr:"margin"`
	AOV     float64 `expr:"aov"`

	FirstSeen    time.Time `expr:"first_seen"`
	LastSeen     time.Time `expr:"last_seen"`
	FirstOrderAt time.Time `expr:"first_order_at"`
	LastOrderAt  time.Time `expr:"last_order_at"`
	// DaysSinceLastOrder and DaysSinceLastSeen are fractional days before
	// Now; NeverDays when there is no such time.
	DaysSinceLastOrder float64 `expr:"days_since_last_order"`
	DaysSinceLastSeen  float64 `expr:"days_since_last_seen"`
	// TenureDays is the days since first seen, 0 when never seen.
	TenureDays float64 `expr:"tenure_days"`

	Fit        float64 `expr:"fit"`
	Grade      string  `expr:"grade"`
	Engagement float64 `expr:"engagement"`
	Stage      string  `expr:"stage"`
	Priority   float64 `expr:"priority"`

	RFM RFM `expr:"rfm"`
	// Segments lists the ids of the segments the profile is in, for
	// `"vip" in segments`. Set.Evaluate fills in the segments of its own
	// set as it evaluates them, dependencies first.
	Segments []string `expr:"segments"`

	Now time.Time `expr:"now"`

	Count    func(name string, days int) int      `expr:"count"`
	Bought   func(category, from, to string) bool `expr:"bought"`
	HasTrait func(name string) bool               `expr:"has_trait"`
}

// NewEnv builds the Env of profile p as of now. score and h (usually
// &p.Aggregates.Recent) may be nil: a profile not scored yet reads zero
// scores, and one without history counts no events. The Env aliases p's
// maps and h.
func NewEnv(p *rapport.Profile, score *rapport.ScoreRecord, h *rapport.EventHistory, rfm RFM, now time.Time) Env {
	env := Env{RFM: rfm, Now: now}
	if p != nil {
		env.setProfile(p)
	}
	if score != nil {
		env.Fit, env.Grade, env.Engagement = score.Fit, score.Grade, score.Engagement
		env.Stage, env.Priority = score.Stage, score.Priority
	}
	env.DaysSinceLastOrder = daysSince(env.LastOrderAt, now)
	env.DaysSinceLastSeen = daysSince(env.LastSeen, now)
	if !env.FirstSeen.IsZero() {
		env.TenureDays = max(now.Sub(env.FirstSeen).Hours()/24, 0)
	}
	env.bind(h)
	return env
}

func (env *Env) setProfile(p *rapport.Profile) {
	a := &p.Aggregates
	env.Traits = p.Traits
	env.Events, env.Channels, env.PurchaseChannels = a.Events, a.Channels, a.PurchaseChannels
	env.Browsers, env.Referrers = a.Browsers, a.Referrers
	env.OrderWeekdays, env.OrderDayparts = a.OrderWeekdays, a.OrderDayparts
	env.Categories, env.Brands = a.Categories, a.Brands
	env.Orders, env.Revenue, env.Margin, env.AOV = int(a.Orders), a.Revenue, a.Margin, a.AverageOrderValue
	env.FirstSeen, env.LastSeen = a.FirstSeen, a.LastSeen
	env.FirstOrderAt, env.LastOrderAt = a.FirstOrderAt, a.LastOrderAt
}

// bind sets the functions that read h and the traits.
func (env *Env) bind(h *rapport.EventHistory) {
	now, traits := env.Now, env.Traits
	env.Count = func(name string, days int) int { return countEvents(h, name, days, now) }
	env.Bought = func(category, from, to string) bool { return bought(h, category, from, to) }
	env.HasTrait = func(name string) bool { return traits[name] != nil }
}

// daysSince returns the fractional days from t to now, never negative, or
// NeverDays for the zero time.
func daysSince(t, now time.Time) float64 {
	if t.IsZero() {
		return NeverDays
	}
	return max(now.Sub(t).Hours()/24, 0)
}

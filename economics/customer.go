package economics

import (
	"math"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/clv"
)

// Customer is what the figures need of one customer, taken from their
// profile once: small enough to keep for every customer while a report
// runs. A customer is a profile with at least one order.
type Customer struct {
	ID     string
	UserID string
	Orders int64
	// Revenue is net of refunds, as the profile's aggregates keep it.
	Revenue float64
	// GrossMargin is the known margin of the orders whose cost is known
	// plus the default margin rate times the rest of the revenue.
	GrossMargin float64
	// EstimatedRevenue is the part of Revenue whose margin is estimated
	// with the default rate: no cost of goods was recorded for it.
	EstimatedRevenue float64
	// Effort is the service effort, 0 to 10 (see ServiceEffort).
	Effort float64
	// Messages counts the messages sent (see MessageCount).
	Messages float64
	// CostToServe is Effort × cost per effort unit + Messages × cost per
	// message: what serving the customer has cost so far.
	CostToServe float64
	// TenureWeeks is the time since the customer was first seen, at least
	// MinTenureWeeks: the span CostToServe accrued over.
	TenureWeeks float64
	// History is the purchase history in weeks as the models read it, and
	// Timed whether it is known: imported totals without order times
	// cannot be modelled.
	History clv.Customer
	Timed   bool
}

// Trait and event names the figures read.
const (
	// TraitServiceEffort is the CRM's rating of how much help the customer
	// needs, 1 to 10.
	TraitServiceEffort = "service_effort"
	// EventSupportTicket counts as one unit of effort where the profile
	// has no service_effort trait.
	EventSupportTicket = "Support Ticket Opened"
)

// MaxEffort caps service effort: the scale of the service_effort trait.
const MaxEffort = 10

// MinTenureWeeks is the shortest span a cost to serve is spread over when
// it is projected ahead: one ticket in a customer's first days is not a
// ticket a week for a year.
const MinTenureWeeks = 4

// hoursPerWeek converts durations to the models' unit, the week.
const hoursPerWeek = 24 * 7

// NewCustomer returns the customer p is as of now, and false when p has no
// order.
func NewCustomer(p *rapport.Profile, now time.Time, o Options) (Customer, bool) {
	a := &p.Aggregates
	if a.Orders < 1 {
		return Customer{}, false
	}
	c := Customer{ID: p.ID, UserID: p.UserID(), Orders: a.Orders, Revenue: a.Revenue,
		Effort: ServiceEffort(p), Messages: MessageCount(p, o)}
	c.GrossMargin, c.EstimatedRevenue = GrossMargin(*a, o.DefaultMarginRate)
	c.CostToServe = c.Effort*o.CostPerEffortUnit + c.Messages*o.CostPerMessage
	first := a.FirstSeen
	if first.IsZero() || (!a.FirstOrderAt.IsZero() && a.FirstOrderAt.Before(first)) {
		first = a.FirstOrderAt
	}
	c.TenureWeeks = MinTenureWeeks
	if !first.IsZero() {
		c.TenureWeeks = max(weeks(now.Sub(first)), MinTenureWeeks)
	}
	c.History, c.Timed = History(*a, now)
	return c, true
}

// ServiceEffort is the service_effort trait, kept within 1 to 10, when the
// profile has one; else the number of support tickets opened, at most 10.
func ServiceEffort(p *rapport.Profile) float64 {
	if v, ok := rapport.Number(p.Traits[TraitServiceEffort]); ok {
		return min(max(v, 1), MaxEffort)
	}
	return min(float64(p.Aggregates.Events[EventSupportTicket]), MaxEffort)
}

// MessageCount is the number of message events (o.MessageEvents) the
// profile holds; when it holds none, the number of proxy events
// (o.ProxyMessageEvents), which undercount: not every email is opened.
func MessageCount(p *rapport.Profile, o Options) float64 {
	if n := countEvents(p.Aggregates.Events, o.MessageEvents); n > 0 {
		return n
	}
	return countEvents(p.Aggregates.Events, o.ProxyMessageEvents)
}

// countEvents adds up the counts of the named events.
func countEvents(events map[string]int64, names []string) float64 {
	var n int64
	for _, name := range names {
		n += events[name]
	}
	return float64(n)
}

// GrossMargin is the margin of revenue a's orders made: the margin of the
// orders whose cost is known (aggregates sum it over them) plus rate times
// the rest of the revenue, which it also returns. The revenue of costed
// orders is their cost plus their margin; refunds come off the rest first.
func GrossMargin(a rapport.Aggregates, rate float64) (margin, estimatedRevenue float64) {
	costed := a.Cost + a.Margin
	estimatedRevenue = max(a.Revenue-costed, 0)
	// Sums in another order differ in the last bits: less than a thousandth
	// of a cent is no uncosted revenue.
	if estimatedRevenue < 1e-5 {
		estimatedRevenue = 0
	}
	return a.Margin + rate*estimatedRevenue, estimatedRevenue
}

// MarginRate is the share of the customer's revenue kept as gross margin,
// at most 1, or the default rate when they have no revenue left: the rate
// lifetime value applies to future spend.
func (c Customer) MarginRate(o Options) float64 {
	if c.Revenue <= 0 {
		return o.DefaultMarginRate
	}
	return min(c.GrossMargin/c.Revenue, 1)
}

// History is the purchase history of aggregates a as the BG/NBD and
// Gamma-Gamma models read it, in weeks as of now: x = orders − 1, t_x =
// last order − first order, T = now − first order, and as the spend per
// purchase the average order value. ok is false without order times.
//
// Aggregates count orders, not purchase days: two orders on one day are
// two purchases here, one in the published CDNOW fits. And the average
// includes the first order, which Gamma-Gamma's mean of repeat purchases
// leaves out; the aggregates do not keep it apart.
func History(a rapport.Aggregates, now time.Time) (h clv.Customer, ok bool) {
	if a.Orders < 1 || a.FirstOrderAt.IsZero() || a.LastOrderAt.IsZero() {
		return clv.Customer{}, false
	}
	h.X = int(min(a.Orders-1, math.MaxInt32))
	if h.X > 0 {
		h.TX = max(weeks(a.LastOrderAt.Sub(a.FirstOrderAt)), 0)
		h.Value = max(a.Revenue/float64(a.Orders), 0)
	}
	// An order time after now (a clock ahead) must not make T < t_x.
	h.T = max(weeks(now.Sub(a.FirstOrderAt)), h.TX)
	return h, true
}

// weeks converts a duration to weeks.
func weeks(d time.Duration) float64 { return d.Hours() / hoursPerWeek }

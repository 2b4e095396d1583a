package lead

import (
	"cmp"
	"time"

	"github.com/rapportdev/rapport"
)

// Credit picks the lead that an order at orderAt converts, among the
// leads of the person who placed it, or nil when none may take it.
//
// A lead may take the credit when it was received before the order (5
// minutes of clock skew allowed), no longer than window before it, and
// was not returned to its vendor. The window counts from the receipt, as
// the outcome window of training does: a lead a vendor held for days
// keeps its whole window, and an order placed before the lead was bought
// credits nothing, however late the sweep reads it. Among those, the lead someone reached
// last before the order wins: the conversation that closed the sale.
// When nobody was reached, the latest inquiry wins: the vendor who
// delivered the person closest to buying. Ties go to the later receipt,
// then the larger id, so the choice is the same on every run.
func Credit(leads []rapport.Lead, orderAt time.Time, window time.Duration) *rapport.Lead {
	var best *rapport.Lead
	for i := range leads {
		l := &leads[i]
		if !creditable(l, orderAt, window) {
			continue
		}
		if best == nil || better(l, best, orderAt) {
			best = l
		}
	}
	return best
}

// creditable reports whether l may take the credit for an order at
// orderAt: bought by then, within window of its receipt, not returned.
func creditable(l *rapport.Lead, orderAt time.Time, window time.Duration) bool {
	return l.ReturnedAt.IsZero() && !l.ReceivedAt.After(orderAt.Add(leadSkew)) && orderAt.Sub(l.ReceivedAt) <= window
}

// better reports whether a should take the credit rather than b.
func better(a, b *rapport.Lead, orderAt time.Time) bool {
	ra, rb := reachedBy(a, orderAt), reachedBy(b, orderAt)
	if c := cmp.Or(ra.Compare(rb), a.SubmittedAt.Compare(b.SubmittedAt), a.ReceivedAt.Compare(b.ReceivedAt),
		cmp.Compare(a.ID, b.ID)); c != 0 {
		return c > 0
	}
	return false
}

// reachedBy is when the lead was first reached, if before the order; the
// zero time otherwise.
func reachedBy(l *rapport.Lead, orderAt time.Time) time.Time {
	if l.FirstContactAt.IsZero() || l.FirstContactAt.After(orderAt) {
		return time.Time{}
	}
	return l.FirstContactAt
}

// leadSkew is how far apart two clocks may be.
const leadSkew = 5 * time.Minute

// OrderRevenue reads an order event's revenue as the profile's order
// ledger does: properties.revenue, else total, else the sum of price ×
// quantity (1 when absent) of its products; a negative or unreadable
// amount reads as zero.
func OrderRevenue(props map[string]any) float64 {
	for _, key := range []string{"revenue", "total"} {
		if v, ok := rapport.Number(props[key]); ok {
			return max(finite(v), 0)
		}
	}
	products, _ := props["products"].([]any)
	var sum float64
	for _, p := range products {
		m, _ := p.(map[string]any)
		price, _ := rapport.Number(m["price"])
		q, ok := rapport.Number(m["quantity"])
		if !ok {
			q = 1
		}
		sum += finite(price * q)
	}
	return max(finite(sum), 0)
}

func finite(f float64) float64 {
	if f != f || f > 1e15 || f < -1e15 {
		return 0
	}
	return f
}

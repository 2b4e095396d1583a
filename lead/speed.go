package lead

import (
	"cmp"
	"slices"
	"time"

	"github.com/rapportdev/rapport"
)

// LeadSpeed is how fast one lead was delivered and worked. Durations are
// seconds; a step not taken yet is absent.
type LeadSpeed struct {
	LeadID   string `json:"leadId"`
	VendorID string `json:"vendorId"`
	Team     string `json:"team,omitempty"`
	Tier     string `json:"tier,omitempty"`
	// Age is the lead's age now, from the consumer's submission.
	Age float64 `json:"age"`
	// AgeAtDelivery is its age when Rapport received it; DeliveryDelay the
	// vendor's delay by the vendor's own delivery time.
	AgeAtDelivery  float64  `json:"ageAtDelivery"`
	DeliveryDelay  float64  `json:"deliveryDelay"`
	ToFirstAttempt *float64 `json:"toFirstAttempt,omitempty"`
	ToFirstContact *float64 `json:"toFirstContact,omitempty"`
	Attempts       int      `json:"attempts"`
	// WithinSLA says whether the first attempt came within the tier's SLA
	// (false while waiting beyond it; absent for a tier without one).
	WithinSLA *bool `json:"withinSla,omitempty"`
}

// SpeedOf measures one lead at now.
func SpeedOf(l *rapport.Lead, now time.Time, sla SLA) LeadSpeed {
	s := LeadSpeed{LeadID: l.ID, VendorID: l.VendorID, Team: l.Team, Tier: l.Tier, Attempts: l.Attempts,
		Age: seconds(l.Age(now)), AgeAtDelivery: seconds(l.ReceivedAt.Sub(l.SubmittedAt)),
		DeliveryDelay: seconds(l.DeliveryDelay())}
	if !l.FirstAttemptAt.IsZero() {
		s.ToFirstAttempt = ptr(seconds(l.FirstAttemptAt.Sub(l.SubmittedAt)))
	}
	if !l.FirstContactAt.IsZero() {
		s.ToFirstContact = ptr(seconds(l.FirstContactAt.Sub(l.SubmittedAt)))
	}
	if limit, ok := sla[l.Tier]; ok {
		in := !l.FirstAttemptAt.IsZero() && l.FirstAttemptAt.Sub(l.SubmittedAt) <= limit
		waiting := l.FirstAttemptAt.IsZero() && l.Age(now) <= limit
		if !waiting {
			s.WithinSLA = &in
		}
	}
	return s
}

func ptr[T any](v T) *T { return &v }

// SpeedGroup sums up speed-to-lead for a vendor or a team. Times are
// seconds from the consumer's submission; medians and 90th percentiles
// are over the leads that reached the step.
type SpeedGroup struct {
	Key                 string  `json:"key"`
	Leads               int     `json:"leads"`
	Attempted           int     `json:"attempted"`
	Contacted           int     `json:"contacted"`
	MedianAgeAtDelivery float64 `json:"medianAgeAtDelivery"`
	MedianDeliveryDelay float64 `json:"medianDeliveryDelay"`
	MedianToAttempt     float64 `json:"medianToFirstAttempt"`
	P90ToAttempt        float64 `json:"p90ToFirstAttempt"`
	MedianToContact     float64 `json:"medianToFirstContact"`
	// WithinSLA is the share of leads under an SLA that were attempted in
	// time; Breached counts those that were not (waiting or late).
	WithinSLA float64 `json:"withinSla"`
	Breached  int     `json:"breached"`
}

// SpeedBy groups the leads' speed by "vendor" or "team" (a lead without a
// team counts under ""), largest group first.
func SpeedBy(leads []rapport.Lead, by string, now time.Time, sla SLA) []SpeedGroup {
	type acc struct {
		g                               SpeedGroup
		ageDel, delay, attempt, contact []float64
		underSLA, inTime                int
	}
	groups := map[string]*acc{}
	for i := range leads {
		l := &leads[i]
		key := l.VendorID
		if by == "team" {
			key = l.Team
		}
		a := groups[key]
		if a == nil {
			a = &acc{g: SpeedGroup{Key: key}}
			groups[key] = a
		}
		s := SpeedOf(l, now, sla)
		a.g.Leads++
		a.ageDel = append(a.ageDel, s.AgeAtDelivery)
		a.delay = append(a.delay, s.DeliveryDelay)
		if s.ToFirstAttempt != nil {
			a.g.Attempted++
			a.attempt = append(a.attempt, *s.ToFirstAttempt)
		}
		if s.ToFirstContact != nil {
			a.g.Contacted++
			a.contact = append(a.contact, *s.ToFirstContact)
		}
		if s.WithinSLA != nil {
			a.underSLA++
			if *s.WithinSLA {
				a.inTime++
			} else {
				a.g.Breached++
			}
		}
	}
	out := make([]SpeedGroup, 0, len(groups))
	for _, a := range groups {
		g := a.g
		g.MedianAgeAtDelivery, g.MedianDeliveryDelay = quantile(a.ageDel, 0.5), quantile(a.delay, 0.5)
		g.MedianToAttempt, g.P90ToAttempt = quantile(a.attempt, 0.5), quantile(a.attempt, 0.9)
		g.MedianToContact = quantile(a.contact, 0.5)
		g.WithinSLA = ratio(float64(a.inTime), float64(a.underSLA))
		out = append(out, g)
	}
	slices.SortFunc(out, func(a, b SpeedGroup) int {
		return cmp.Or(cmp.Compare(b.Leads, a.Leads), cmp.Compare(a.Key, b.Key))
	})
	return out
}

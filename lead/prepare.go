package lead

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/rapportdev/rapport"
)

// futureSkew is how far in the future a submission time may be: the
// vendor's clock may run ahead of ours.
const futureSkew = 5 * time.Minute

// Prepare readies an incoming lead from vendor v, received at
// receivedAt: it fills the vendor, receipt and delivery times, the price
// (the vendor's when the lead has none) and the external id (the raw
// payload's hash when the vendor sent none), validates the lead, checks
// its consent (a failed check keeps the lead, not contactable) and reads
// its form signals as engagement. An EINVALID error says why the lead
// cannot be accepted.
func Prepare(l *rapport.Lead, v *rapport.Vendor, receivedAt time.Time) error {
	if l.ExternalID == "" {
		l.ExternalID = payloadID(l)
	}
	l.VendorID, l.ReceivedAt = v.ID, receivedAt
	if l.DeliveredAt.IsZero() {
		l.DeliveredAt = receivedAt
	}
	if l.Price == 0 {
		l.Price = v.Price
	}
	if l.SubmittedAt.After(receivedAt.Add(futureSkew)) {
		return rapport.Errorf(rapport.EINVALID, "submittedAt: %s is in the future", l.SubmittedAt.Format(time.RFC3339))
	}
	if err := l.Validate(); err != nil {
		return err
	}
	l.ConsentProblem = CheckConsent(l)
	l.Contactable = l.ConsentProblem == ""
	l.Engagement, l.EngagementLevel = FormEngagement(&l.Form)
	return nil
}

// payloadID is the hash of what the vendor sent: sending the same lead
// again is a retry. Two inquiries of one person differ at least in their
// submission time, so they get different ids.
func payloadID(l *rapport.Lead) string {
	raw := l.Raw
	if len(raw) == 0 {
		raw, _ = json.Marshal(l) // a Lead always encodes
	}
	sum := sha256.Sum256(raw)
	return "sha256:" + hex.EncodeToString(sum[:16])
}

// Routing names the team that works each tier; a tier not named goes to
// the team named for "default", else to none.
type Routing map[string]string

// Complete derives what depends on the lead's person history, once the
// store has set it: the value, from the estimator and pricing, the tier
// and the team. known is the person's lifetime value where known.
func Complete(l *rapport.Lead, v *rapport.Vendor, e Estimator, p Pricing, r Routing, known float64) {
	l.Value = p.Value(e, l, v, known)
	l.Tier = p.Tier(l)
	l.Team = r[l.Tier]
	if l.Team == "" {
		l.Team = r["default"]
	}
}

package storecodec

import (
	"fmt"
	"slices"
	"time"

	json "github.com/goccy/go-json"

	"github.com/rapportdev/rapport"
)

// PrepareWebhook readies w to be stored: it validates it (EINVALID) and
// fills in a missing ID and CreatedAt (now, in UTC).
func PrepareWebhook(w *rapport.Webhook) error {
	if err := w.Validate(); err != nil {
		return err
	}
	if w.ID == "" {
		w.ID = rapport.NewID("wh_")
	}
	if w.CreatedAt.IsZero() {
		w.CreatedAt = time.Now().UTC()
	}
	return nil
}

// EncodeWebhookEvents returns the JSON array stored for a webhook's
// notification types.
func EncodeWebhookEvents(events []string) (string, error) {
	b, err := json.Marshal(events)
	if err != nil {
		return "", fmt.Errorf("encode webhook events: %w", err)
	}
	return string(b), nil
}

// DecodeWebhookEvents is the inverse of EncodeWebhookEvents.
func DecodeWebhookEvents(b []byte) ([]string, error) {
	var events []string
	if err := json.Unmarshal(b, &events); err != nil {
		return nil, fmt.Errorf("decode webhook events: %w", err)
	}
	return events, nil
}

// CheckNotifications rejects, with EINVALID, a notification without a
// type: no webhook could subscribe to it.
func CheckNotifications(ns []rapport.Notification) error {
	for _, n := range ns {
		if n.Type == "" {
			return rapport.Errorf(rapport.EINVALID, "notification without type")
		}
	}
	return nil
}

// Outbox is a delivery ready to insert: its webhook, its encoded
// notification and the consent outcome recorded with it.
type Outbox struct {
	WebhookID    string
	Notification []byte
	Consent      string
}

// FanOut returns one pending delivery per notification and webhook
// subscribed to its type (inactive webhooks take none), notification by
// notification, webhooks in the order given.
func FanOut(webhooks []*rapport.Webhook, ns []rapport.Notification) ([]Outbox, error) {
	var out []Outbox
	for _, n := range ns {
		var body []byte
		for _, w := range webhooks {
			if !w.Subscribes(n.Type) {
				continue
			}
			if body == nil {
				var err error
				if body, err = EncodeNotification(n); err != nil {
					return nil, err
				}
			}
			out = append(out, Outbox{WebhookID: w.ID, Notification: body, Consent: consentOutcome(w)})
		}
	}
	return out, nil
}

// consentOutcome is the consent check recorded for a delivery to w. There
// are no consent records yet, so a webhook that requires consent gets
// ConsentUnchecked: honest about the missing check, not a pretend pass.
func consentOutcome(w *rapport.Webhook) string {
	if w.RequiresConsent == "" {
		return rapport.ConsentNotRequired
	}
	return rapport.ConsentUnchecked
}

// EncodeNotification returns the JSON stored for n, its time in UTC.
func EncodeNotification(n rapport.Notification) ([]byte, error) {
	n.At = n.At.UTC()
	b, err := json.Marshal(&n)
	if err != nil {
		return nil, fmt.Errorf("encode notification %s: %w", n.Type, err)
	}
	return b, nil
}

// DecodeNotification is the inverse of EncodeNotification.
func DecodeNotification(b []byte) (rapport.Notification, error) {
	var n rapport.Notification
	if err := json.Unmarshal(b, &n); err != nil {
		return n, fmt.Errorf("decode notification: %w", err)
	}
	n.At = n.At.UTC()
	return n, nil
}

// CheckDelivery rejects, with EINVALID, an update to an unknown state.
func CheckDelivery(d *rapport.Delivery) error {
	states := []string{rapport.DeliveryPending, rapport.DeliveryDelivered, rapport.DeliveryFailed, rapport.DeliverySuppressed}
	if !slices.Contains(states, d.State) {
		return rapport.Errorf(rapport.EINVALID, "delivery %d: state %q is not valid", d.ID, d.State)
	}
	return nil
}

// DueNanos returns when a delivery is due as unix nanoseconds: 0 for the
// zero time (due at once), so due deliveries sort without NULLs.
func DueNanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return Nanos(t)
}

// FromDueNanos is the inverse of DueNanos.
func FromDueNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

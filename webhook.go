package rapport

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// MinWebhookSecretLen is the shortest secret a webhook may sign with, in
// bytes.
const MinWebhookSecretLen = 16

// Delivery states.
const (
	// DeliveryPending is waiting for its next attempt.
	DeliveryPending = "pending"
	// DeliveryDelivered was accepted by the receiver with a 2xx status.
	DeliveryDelivered = "delivered"
	// DeliveryFailed was given up on after the last attempt failed.
	DeliveryFailed = "failed"
	// DeliverySuppressed was not sent: the webhook requires consent for a
	// contact channel and the person has none (Consent says so).
	DeliverySuppressed = "suppressed"
)

// Consent outcomes recorded on each delivery.
const (
	// ConsentNotRequired: the webhook does not say its payloads are about
	// contacting a person, so no consent check applies.
	ConsentNotRequired = "not_required"
	// ConsentUnchecked: the webhook requires consent for a contact channel,
	// but Rapport keeps no consent records yet, so no check was made. The
	// delivery goes out and says so; consent records arrive with a later
	// issue and will replace this outcome with a real check.
	ConsentUnchecked = "unchecked"
	// ConsentGranted: the person's consent record for the channel was
	// granted when the delivery was sent.
	ConsentGranted = "granted"
	// ConsentRefused: the person had no granted consent for the channel
	// (none recorded, withdrawn, or the person was erased); the delivery
	// was suppressed.
	ConsentRefused = "refused"
)

// ConsentChannels are the contact channels a webhook may require consent
// for.
var ConsentChannels = []string{"email", "sms", "phone", "push"}

// Webhook is a subscription: notifications of the listed types are POSTed
// to URL, signed with Secret. The secret is stored as given (it must sign,
// so it cannot be hashed) and never encoded to JSON.
type Webhook struct {
	ID  string `json:"id"`
	URL string `json:"url"`
	// Secret is the HMAC-SHA256 key that signs every delivery.
	Secret string `json:"-"`
	// Events are the notification types sent; "*" means all.
	Events []string `json:"events"`
	// RequiresConsent names the contact channel ("email", "sms", ...)
	// the payloads are about, when they are about contacting a person;
	// empty when they are not.
	RequiresConsent string    `json:"requiresConsent,omitempty"`
	Active          bool      `json:"active"`
	CreatedAt       time.Time `json:"createdAt"`
}

// Validate returns an EINVALID error naming the first field that is wrong:
// the URL must be absolute http or https, at least one event type must be
// given, the secret must be UTF-8 text of at least 16 bytes, and RequiresConsent, when
// set, must be one of ConsentChannels.
func (w *Webhook) Validate() error {
	u, err := url.Parse(w.URL)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return Errorf(EINVALID, "url: must be an absolute http or https URL")
	case len(w.Events) == 0:
		return Errorf(EINVALID, "events: give at least one notification type, or \"*\" for all")
	case slices.ContainsFunc(w.Events, func(e string) bool { return strings.TrimSpace(e) == "" }):
		return Errorf(EINVALID, "events: a notification type is empty")
	case len(w.Secret) < MinWebhookSecretLen:
		return Errorf(EINVALID, "secret: must be at least %d bytes", MinWebhookSecretLen)
	case !utf8.ValidString(w.Secret) || strings.ContainsRune(w.Secret, 0):
		return Errorf(EINVALID, "secret: must be UTF-8 text without NUL")
	case w.RequiresConsent != "" && !slices.Contains(ConsentChannels, w.RequiresConsent):
		return Errorf(EINVALID, "requiresConsent: must be one of %s", strings.Join(ConsentChannels, ", "))
	}
	return nil
}

// Subscribes reports whether the webhook is active and takes notifications
// of type typ.
func (w *Webhook) Subscribes(typ string) bool {
	return w.Active && (slices.Contains(w.Events, typ) || slices.Contains(w.Events, "*"))
}

// Notification is something that happened that webhooks may be told
// about: a rule became true for a profile, a profile entered a segment.
type Notification struct {
	// Type is the notification type, e.g. "rule.sales_ready" or
	// "segment.entered".
	Type      string         `json:"type"`
	ProfileID string         `json:"profileId,omitempty"`
	At        time.Time      `json:"at"`
	Payload   map[string]any `json:"payload,omitempty"`
}

// Delivery is one notification for one webhook: a row of the outbox and,
// once attempted, of the delivery log.
type Delivery struct {
	ID           int64        `json:"id"`
	WebhookID    string       `json:"webhookId"`
	Notification Notification `json:"notification"`
	Attempts     int          `json:"attempts"`
	// NextAttemptAt is when the next attempt is due; the zero time means
	// at once (a new delivery).
	NextAttemptAt time.Time `json:"nextAttemptAt,omitzero"`
	DeliveredAt   time.Time `json:"deliveredAt,omitzero"`
	// LastStatus is the HTTP status of the last attempt, 0 when it got no
	// answer.
	LastStatus int    `json:"lastStatus"`
	LastError  string `json:"lastError,omitempty"`
	// State is DeliveryPending, DeliveryDelivered, DeliveryFailed or
	// DeliverySuppressed.
	State string `json:"state"`
	// Consent records the consent check: ConsentNotRequired, or for a
	// webhook that requires consent ConsentUnchecked while queued, then
	// ConsentGranted or ConsentRefused when its turn to be sent came.
	Consent string `json:"consent"`
}

// DeliveryFilter selects a page of the delivery log.
type DeliveryFilter struct {
	// WebhookID, when set, keeps the deliveries of one webhook.
	WebhookID string
	// State, when set, keeps the deliveries in that state.
	State  string
	Offset int
	Limit  int
}

// WebhookStore keeps webhook subscriptions and their outbox. Notifications
// enter the outbox through Changes.Notifications (with the changes that
// caused them, in one transaction) or EnqueueNotifications: one pending
// delivery per notification and active webhook subscribed to its type.
type WebhookStore interface {
	// CreateWebhook validates and stores w, filling in a missing ID and
	// CreatedAt. EINVALID for an invalid webhook, ECONFLICT when the id
	// is taken.
	CreateWebhook(ctx context.Context, w *Webhook) error
	// FindWebhooks returns every webhook, oldest first, with its secret.
	FindWebhooks(ctx context.Context) ([]*Webhook, error)
	// DeleteWebhook removes a webhook and its deliveries, pending or not;
	// ENOTFOUND when unknown.
	DeleteWebhook(ctx context.Context, id string) error
	// EnqueueNotifications queues deliveries of notifications that come
	// with no profile changes. EINVALID for a notification without a type.
	EnqueueNotifications(ctx context.Context, notifications []Notification) error
	// FindDueDeliveries returns up to limit pending deliveries whose next
	// attempt is due at now, the earliest due first (then by id).
	FindDueDeliveries(ctx context.Context, now time.Time, limit int) ([]Delivery, error)
	// UpdateDelivery records an attempt: it writes d's Attempts,
	// NextAttemptAt, DeliveredAt, LastStatus, LastError and State.
	// ENOTFOUND when the delivery is gone (its webhook was deleted).
	UpdateDelivery(ctx context.Context, d *Delivery) error
	// FindDeliveries returns a page of the delivery log, newest first.
	FindDeliveries(ctx context.Context, filter DeliveryFilter) ([]Delivery, error)
}

// Package webhook delivers notifications to webhook receivers over HTTP:
// it reads due deliveries from the store's outbox, POSTs each one signed
// with its webhook's secret (HMAC-SHA256), and records the attempt,
// retrying with exponential backoff until the receiver answers 2xx or the
// attempts run out. Delivery is at least once: a crash between a POST and
// its record means the POST is made again, so receivers deduplicate by
// the Rapport-Delivery-Id header.
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/rapportdev/rapport"
)

// Headers of every delivery.
const (
	HeaderWebhookID  = "Rapport-Webhook-Id"
	HeaderDeliveryID = "Rapport-Delivery-Id"
	HeaderTimestamp  = "Rapport-Timestamp"
	HeaderSignature  = "Rapport-Signature"
)

// Sign returns the Rapport-Signature header value for body sent at
// timestamp (unix seconds): "sha256=" and the hex HMAC-SHA256, keyed by
// secret, of the timestamp, a dot and the body.
func Sign(secret string, timestamp int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(timestamp, 10)))
	mac.Write([]byte("."))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// body is the JSON a receiver gets.
type body struct {
	ID        int64          `json:"id"`
	Type      string         `json:"type"`
	ProfileID string         `json:"profileId,omitempty"`
	At        time.Time      `json:"at"`
	Payload   map[string]any `json:"payload"`
}

// encodeBody returns the request body of d.
func encodeBody(d *rapport.Delivery) ([]byte, error) {
	n := d.Notification
	payload := n.Payload
	if payload == nil {
		payload = map[string]any{}
	}
	b, err := json.Marshal(body{ID: d.ID, Type: n.Type, ProfileID: n.ProfileID, At: n.At, Payload: payload})
	if err != nil {
		return nil, fmt.Errorf("encode delivery %d: %w", d.ID, err)
	}
	return b, nil
}

// Backoff returns how long to wait after the given number of failed
// attempts (1 after the first) before trying again.
type Backoff func(attempts int) time.Duration

// Exponential returns a Backoff of base, 2×base, 4×base … capped at max,
// each shortened by a random fraction of up to jitter (0 to 1), so that
// receivers coming back from an outage are not hit by every retry at once.
func Exponential(base, max time.Duration, jitter float64) Backoff {
	return func(attempts int) time.Duration {
		d := max
		if attempts < 1 {
			attempts = 1
		}
		if attempts < 40 {
			d = min(base<<(attempts-1), max)
		}
		if jitter > 0 {
			d -= time.Duration(float64(d) * jitter * rand.Float64())
		}
		return d
	}
}

// DefaultBackoff waits 1s, 2s, 4s … up to an hour, less up to 20% jitter.
var DefaultBackoff = Exponential(time.Second, time.Hour, 0.2)

package rapport

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// EventType is the kind of a tracking message, as the Segment spec names it.
type EventType string

// The Segment message types.
const (
	EventIdentify EventType = "identify"
	EventTrack    EventType = "track"
	EventPage     EventType = "page"
	EventScreen   EventType = "screen"
	EventGroup    EventType = "group"
	EventAlias    EventType = "alias"
)

// Valid reports whether t is one of the Segment message types.
func (t EventType) Valid() bool {
	switch t {
	case EventIdentify, EventTrack, EventPage, EventScreen, EventGroup, EventAlias:
		return true
	}
	return false
}

// Event is one accepted tracking message, normalised. Field names in JSON
// follow the Segment spec so an export reads like what was sent.
type Event struct {
	// Seq is the event's position in the log, assigned when it is appended.
	Seq int64 `json:"seq,omitempty"`
	// SourceID names the source (write key) the event came through.
	SourceID string `json:"sourceId,omitempty"`

	MessageID   string    `json:"messageId"`
	Type        EventType `json:"type"`
	UserID      string    `json:"userId,omitempty"`
	AnonymousID string    `json:"anonymousId,omitempty"`
	// PreviousID is the identity an alias call merges from.
	PreviousID string `json:"previousId,omitempty"`
	// GroupID is the account a group call attaches the person to.
	GroupID string `json:"groupId,omitempty"`
	// Event is a track call's event name, e.g. "Order Completed".
	Event string `json:"event,omitempty"`
	// Name is a page or screen call's name.
	Name string `json:"name,omitempty"`

	Traits     map[string]any `json:"traits,omitempty"`
	Properties map[string]any `json:"properties,omitempty"`
	Context    map[string]any `json:"context,omitempty"`
	// Integrations is kept as sent; Rapport does not forward events.
	Integrations json.RawMessage `json:"integrations,omitempty"`

	// Timestamp is when the event happened, corrected for client clock
	// skew the way Segment does it: Timestamp = ReceivedAt - (SentAt - OriginalTimestamp).
	Timestamp time.Time `json:"timestamp"`
	// OriginalTimestamp is the time the client put on the message.
	OriginalTimestamp time.Time `json:"originalTimestamp,omitzero"`
	// SentAt is when the client sent the message, by its own clock.
	SentAt time.Time `json:"sentAt,omitzero"`
	// ReceivedAt is when Rapport received it, by the server clock.
	ReceivedAt time.Time `json:"receivedAt"`
}

// Event names with a meaning of their own, from the Segment e-commerce spec.
const (
	EventOrderCompleted = "Order Completed"
	EventOrderRefunded  = "Order Refunded"
)

// Validate reports the first reason e cannot be accepted.
func (e *Event) Validate() error {
	switch {
	case !e.Type.Valid():
		return Errorf(EINVALID, "unknown type %q", e.Type)
	case e.UserID == "" && e.AnonymousID == "":
		return Errorf(EINVALID, "userId or anonymousId is required")
	case e.Type == EventTrack && e.Event == "":
		return Errorf(EINVALID, "track requires event")
	case e.Type == EventAlias && e.PreviousID == "":
		return Errorf(EINVALID, "alias requires previousId")
	case e.Type == EventAlias && e.UserID == "":
		return Errorf(EINVALID, "alias requires userId")
	case e.Type == EventGroup && e.GroupID == "":
		return Errorf(EINVALID, "group requires groupId")
	case e.MessageID == "":
		return Errorf(EINVALID, "messageId is required")
	case len(e.MessageID) > 100:
		return Errorf(EINVALID, "messageId longer than 100 characters")
	case e.Timestamp.IsZero():
		return Errorf(EINVALID, "timestamp is required")
	case e.Type == EventTrack && (e.Event == EventConsentGranted || e.Event == EventConsentRevoked):
		if ch, _ := e.Properties["channel"].(string); !slices.Contains(ConsentChannels, strings.ToLower(strings.TrimSpace(ch))) {
			return Errorf(EINVALID, "%s requires properties.channel, one of %s", e.Event, strings.Join(ConsentChannels, ", "))
		}
	}
	return nil
}

// Key returns the identity that routes the event: the userId when known,
// else the anonymousId.
func (e *Event) Key() string {
	if e.UserID != "" {
		return "u:" + e.UserID
	}
	return "a:" + e.AnonymousID
}

// EventFilter selects a page of a profile's events, newest first.
type EventFilter struct {
	ProfileID string
	Offset    int
	Limit     int
}

package http

import (
	"bytes"
	"errors"
	"fmt"
	json "github.com/goccy/go-json"
	"reflect"
	"strings"
	"time"

	"github.com/rapportdev/rapport"
)

// batchShared is what a batch envelope gives messages that lack it.
type batchShared struct {
	sentAt time.Time
	// context holds the top-level context's fields, still raw, so each
	// message that needs one gets its own copy.
	context      map[string]json.RawMessage
	integrations json.RawMessage
}

// decodeShared reads the envelope's top-level sentAt, context and
// integrations.
func decodeShared(env envelope) (batchShared, *refusal) {
	var sh batchShared
	var rej *refusal
	if sh.sentAt, rej = parseTimeJSON("sentAt", env.SentAt); rej != nil {
		return sh, rej
	}
	if !isAbsent(env.Context) {
		if err := json.Unmarshal(env.Context, &sh.context); err != nil {
			return sh, &refusal{reasonInvalid, "context must be an object"}
		}
	}
	if !isAbsent(env.Integrations) {
		if !isObject(env.Integrations) {
			return sh, &refusal{reasonInvalid, "integrations must be an object"}
		}
		sh.integrations = env.Integrations
	}
	return sh, nil
}

// wireMessage is one message as Segment and RudderStack clients send it.
// Traits, properties and context decode straight into maps: each message is
// decoded once.
type wireMessage struct {
	Type              string          `json:"type"`
	MessageID         flexID          `json:"messageId"`
	UserID            flexID          `json:"userId"`
	AnonymousID       flexID          `json:"anonymousId"`
	PreviousID        flexID          `json:"previousId"`
	GroupID           flexID          `json:"groupId"`
	Event             string          `json:"event"`
	Name              string          `json:"name"`
	Category          string          `json:"category"`
	Channel           string          `json:"channel"`
	Traits            map[string]any  `json:"traits"`
	Properties        map[string]any  `json:"properties"`
	Context           map[string]any  `json:"context"`
	Integrations      json.RawMessage `json:"integrations"`
	Timestamp         json.RawMessage `json:"timestamp"`
	OriginalTimestamp json.RawMessage `json:"originalTimestamp"`
	SentAt            json.RawMessage `json:"sentAt"`
	// WriteKey authenticates a single-message request that has no
	// Basic auth; in a batch message it is ignored.
	WriteKey string `json:"writeKey"`
}

// checkMessage refuses a message read from raw, with decoding error err,
// when it is too large, not an object, holds a NUL, or has a field of the
// wrong type.
func checkMessage(raw []byte, err error, limit int) *refusal {
	switch {
	case len(raw) > limit:
		return &refusal{reasonTooLarge, fmt.Sprintf("message is %d bytes, over the %d KB limit", len(raw), limit>>10)}
	case len(raw) == 0 || raw[0] != '{':
		return &refusal{reasonInvalidJSON, "message must be a JSON object"}
	case hasNUL(raw):
		// PostgreSQL cannot store NUL in text; refusing it here keeps one
		// message from failing a whole group commit.
		return &refusal{reasonInvalid, `message contains a NUL character (\u0000)`}
	case err != nil:
		return messageJSONRefusal(nameIDField(raw, err))
	}
	return nil
}

// idFields are the message fields decoded as flexID.
var idFields = []string{"messageId", "userId", "anonymousId", "previousId", "groupId"}

// nameIDField fills in the field of a flexID type error. The decoder does
// not name the field when a field's own UnmarshalJSON fails, so the field
// is found again here; only refused messages pay for it.
func nameIDField(raw []byte, err error) error {
	var typ *json.UnmarshalTypeError
	if !errors.As(err, &typ) || typ.Field != "" || typ.Type != reflect.TypeFor[flexID]() {
		return err
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) != nil {
		return err
	}
	for _, name := range idFields {
		for key, value := range fields {
			var id flexID
			if strings.EqualFold(key, name) && id.UnmarshalJSON(value) != nil {
				named := *typ
				named.Field = name
				return &named
			}
		}
	}
	return err
}

// buildEvent turns a decoded message into an event that passes Validate,
// or says why it cannot. The event carries the message's id, when it has
// one, even when refused.
func buildEvent(m *wireMessage, shared batchShared, opts decodeOptions) (rapport.Event, *refusal) {
	ev := rapport.Event{
		MessageID:   string(m.MessageID),
		UserID:      string(m.UserID),
		AnonymousID: string(m.AnonymousID),
		PreviousID:  string(m.PreviousID),
		GroupID:     string(m.GroupID),
		Event:       m.Event,
		Name:        m.Name,
		Traits:      m.Traits,
		Properties:  m.Properties,
		Context:     m.Context,
		ReceivedAt:  opts.receivedAt,
	}
	if rej := messageType(&ev, m.Type, opts.implied); rej != nil {
		return ev, rej
	}
	if ev.UserID == "" && ev.AnonymousID == "" {
		return ev, &refusal{reasonNoIdentity, "userId or anonymousId is required"}
	}
	if rej := messageTimes(&ev, m, shared.sentAt); rej != nil {
		return ev, rej
	}
	if rej := fillMessage(&ev, m, shared); rej != nil {
		return ev, rej
	}
	if err := ev.Validate(); err != nil {
		return ev, &refusal{reasonInvalid, rapport.ErrorMessage(err)}
	}
	return ev, nil
}

// messageJSONRefusal labels a decoding error of one message. The message
// is valid JSON (the body was), so the error is a field of the wrong type.
func messageJSONRefusal(err error) *refusal {
	rej := jsonRefusal("message", err)
	rej.label = reasonInvalid
	return rej
}

// messageType sets ev.Type from the message's type and the type the
// endpoint implies.
func messageType(ev *rapport.Event, typ string, implied rapport.EventType) *refusal {
	switch {
	case implied != "" && typ != "" && rapport.EventType(typ) != implied:
		return &refusal{reasonInvalid, fmt.Sprintf("type %q does not match the endpoint /v1/%s", typ, implied)}
	case implied != "":
		ev.Type = implied
	case typ == "":
		return &refusal{reasonUnknownType, "type is required"}
	default:
		ev.Type = rapport.EventType(typ)
	}
	if !ev.Type.Valid() {
		return &refusal{reasonUnknownType, fmt.Sprintf("unknown type %q", ev.Type)}
	}
	return nil
}

// messageTimes sets the event's times, correcting the client's clock skew
// the way Segment does: when the client says when it sent the message,
// Timestamp = ReceivedAt - (SentAt - OriginalTimestamp). A message with no
// timestamp happened when it was received.
func messageTimes(ev *rapport.Event, m *wireMessage, batchSentAt time.Time) *refusal {
	orig, rej := parseTimeJSON("timestamp", m.Timestamp)
	if rej == nil && orig.IsZero() {
		orig, rej = parseTimeJSON("originalTimestamp", m.OriginalTimestamp)
	}
	if rej != nil {
		return rej
	}
	sent, rej := parseTimeJSON("sentAt", m.SentAt)
	if rej != nil {
		return rej
	}
	if sent.IsZero() {
		sent = batchSentAt
	}
	ev.OriginalTimestamp, ev.SentAt = orig, sent
	switch {
	case orig.IsZero():
		ev.Timestamp = ev.ReceivedAt
	case sent.IsZero():
		ev.Timestamp = orig
	default:
		ev.Timestamp = ev.ReceivedAt.Add(-sent.Sub(orig))
	}
	return nil
}

// fillMessage completes ev with what depends on its type and on the batch:
// a generated messageId when the client sent none (so such a message cannot
// be deduplicated on retry), page and screen categories, RudderStack's
// channel, and the batch's context and integrations.
func fillMessage(ev *rapport.Event, m *wireMessage, shared batchShared) *refusal {
	if ev.MessageID == "" {
		ev.MessageID = rapport.NewID("msg_")
	}
	if m.Category != "" && (ev.Type == rapport.EventPage || ev.Type == rapport.EventScreen) {
		setDefault(&ev.Properties, "category", m.Category)
	}
	if ev.Name == "" && (ev.Type == rapport.EventPage || ev.Type == rapport.EventScreen) {
		ev.Name, _ = ev.Properties["name"].(string)
	}
	if m.Channel != "" {
		setDefault(&ev.Context, "channel", m.Channel)
	}
	if err := mergeContext(ev, shared.context); err != nil {
		return &refusal{reasonInvalid, "context: " + err.Error()}
	}
	switch {
	case !isAbsent(m.Integrations) && !isObject(m.Integrations):
		return &refusal{reasonInvalid, "integrations must be an object"}
	case !isAbsent(m.Integrations):
		ev.Integrations = m.Integrations
	default:
		ev.Integrations = shared.integrations
	}
	return nil
}

// mergeContext adds the batch context's fields that the message's own
// context lacks; the message's fields win.
func mergeContext(ev *rapport.Event, shared map[string]json.RawMessage) error {
	for k, raw := range shared {
		if _, ok := ev.Context[k]; ok {
			continue
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return fmt.Errorf("field %q: %w", k, err)
		}
		setDefault(&ev.Context, k, v)
	}
	return nil
}

// setDefault sets (*m)[k] = v unless k is present, creating the map.
func setDefault(m *map[string]any, k string, v any) {
	if *m == nil {
		*m = make(map[string]any, 4)
	}
	if _, ok := (*m)[k]; !ok {
		(*m)[k] = v
	}
}

// isAbsent reports whether a raw field was missing or null.
func isAbsent(raw json.RawMessage) bool {
	return len(raw) == 0 || string(raw) == "null"
}

// isObject reports whether raw JSON, already known to be valid, is an
// object.
func isObject(raw json.RawMessage) bool {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	return len(raw) > 0 && raw[0] == '{'
}

// typeReason explains a value of the wrong type in a message.
func typeReason(e *json.UnmarshalTypeError) string {
	field := e.Field
	if field == "" {
		field = "message"
	}
	switch {
	case e.Type == nil:
		return fmt.Sprintf("%s has a value of the wrong type (%s)", field, e.Value)
	case e.Type.Kind() == reflect.Map:
		return fmt.Sprintf("%s must be an object, got %s", field, e.Value)
	case e.Type == reflect.TypeFor[flexID]():
		return fmt.Sprintf("%s must be a string or a number, got %s", field, e.Value)
	case e.Type.Kind() == reflect.String:
		return fmt.Sprintf("%s must be a string, got %s", field, e.Value)
	case e.Type.Kind() == reflect.Slice:
		return fmt.Sprintf("%s must be an array, got %s", field, e.Value)
	}
	return fmt.Sprintf("%s: %s is out of range", field, e.Value)
}

// nulEscape is how JSON spells the NUL character.
var nulEscape = []byte(`\u0000`)

// hasNUL reports whether raw JSON holds an escaped NUL character (not an
// escaped backslash followed by "u0000").
func hasNUL(raw []byte) bool {
	for at := 0; ; {
		i := bytes.Index(raw[at:], nulEscape)
		if i < 0 {
			return false
		}
		i += at
		slashes := 0
		for j := i; j >= 0 && raw[j] == '\\'; j-- {
			slashes++
		}
		if slashes%2 == 1 {
			return true
		}
		at = i + 1
	}
}

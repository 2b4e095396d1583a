package http

import (
	"bytes"
	"errors"
	"fmt"
	json "github.com/goccy/go-json"
	"io"
	"strings"
	"time"

	"github.com/rapportdev/rapport"
)

// Labels of rapport_ingest_rejected_total, short and fixed.
const (
	reasonInvalidJSON  = "invalid_json"
	reasonTooLarge     = "too_large"
	reasonNoIdentity   = "no_identity"
	reasonBadTimestamp = "bad_timestamp"
	reasonUnknownType  = "unknown_type"
	reasonInvalid      = "invalid"
	reasonUnauthorized = "unauthorized"
	reasonRateLimited  = "rate_limited"
	reasonOverloaded   = "overloaded"
)

// refusal is why a message or a whole body is refused: the metric label
// and a reason safe to show to the client.
type refusal struct {
	label  string
	reason string
}

// rejection names one refused message of a request, as the response
// lists it.
type rejection struct {
	Index     int    `json:"index"`
	MessageID string `json:"messageId,omitempty"`
	Reason    string `json:"reason"`
	label     string
}

// decodeOptions say how to read one request body.
type decodeOptions struct {
	// implied is the type the path implies for a single-message
	// endpoint; empty for /v1/batch and /v1/import.
	implied rapport.EventType
	// receivedAt is the server time the request arrived.
	receivedAt      time.Time
	maxMessageBytes int
}

// decoded is a request body read into events.
type decoded struct {
	// writeKey is the body's writeKey field, for clients that do not
	// send HTTP Basic auth.
	writeKey string
	// events holds the accepted messages, each passing Validate.
	events []rapport.Event
	// rejected names every refused message by its index in the body.
	rejected []rejection
}

// decodeBody reads a tracking request body: a batch when opts.implied is
// empty, else one message of that type. A non-nil refusal refuses the whole
// body; otherwise every message is either in events or in rejected.
func decodeBody(body []byte, opts decodeOptions) (*decoded, *refusal) {
	if opts.implied != "" {
		return decodeSingle(body, opts)
	}
	return decodeBatch(body, opts)
}

// decodeBatch reads a /v1/batch or /v1/import body. Envelope fields may
// come in any order, so messages are read first and turned into events
// once the batch's sentAt and context are known.
func decodeBatch(body []byte, opts decodeOptions) (*decoded, *refusal) {
	env, msgs, rej := readEnvelope(body, opts.maxMessageBytes)
	d := &decoded{writeKey: env.WriteKey}
	if rej != nil {
		return d, exactSyntax(body, rej)
	}
	if len(msgs) == 0 {
		return d, &refusal{reasonInvalid, "batch is empty or missing"}
	}
	shared, rej := decodeShared(env)
	if rej != nil {
		return d, rej
	}
	d.events = make([]rapport.Event, 0, len(msgs))
	for i := range msgs {
		d.add(i, &msgs[i], shared, opts)
	}
	return d, nil
}

// decodeSingle reads the body of a single-message endpoint.
func decodeSingle(body []byte, opts decodeOptions) (*decoded, *refusal) {
	var p pending
	err := json.Unmarshal(body, &p.m)
	if err != nil && !isTypeError(err) {
		return nil, jsonRefusal("body", err)
	}
	p.rej = checkMessage(bytes.TrimLeft(body, " \t\r\n"), err, opts.maxMessageBytes)
	d := &decoded{writeKey: p.m.WriteKey}
	d.add(0, &p, batchShared{}, opts)
	return d, nil
}

// add turns the i-th message into an event and records it as accepted or
// rejected.
func (d *decoded) add(i int, p *pending, shared batchShared, opts decodeOptions) {
	if p.rej != nil {
		d.reject(i, string(p.m.MessageID), p.rej)
		return
	}
	ev, rej := buildEvent(&p.m, shared, opts)
	if rej != nil {
		d.reject(i, ev.MessageID, rej)
		return
	}
	d.events = append(d.events, ev)
}

func (d *decoded) reject(i int, messageID string, r *refusal) {
	d.rejected = append(d.rejected, rejection{Index: i, MessageID: messageID, Reason: r.reason, label: r.label})
}

// envelope holds a batch body's fields other than the messages.
type envelope struct {
	SentAt       json.RawMessage
	Context      json.RawMessage
	Integrations json.RawMessage
	WriteKey     string
}

// pending is one message of a batch as read, before it becomes an event.
type pending struct {
	m   wireMessage
	rej *refusal
}

// readEnvelope streams a batch body with one json.Decoder: each message is
// scanned and decoded once, straight from the body, and its raw bytes are
// found by offset without copying. (Unmarshalling the envelope with raw
// messages, then each message, would scan every byte three times.) Field
// names match case-insensitively, as encoding/json does.
func readEnvelope(body []byte, limit int) (envelope, []pending, *refusal) {
	var env envelope
	dec := json.NewDecoder(bytes.NewReader(body))
	if rej := expectDelim(dec, '{', "body must be a JSON object"); rej != nil {
		return env, nil, rej
	}
	var msgs []pending
	seenBatch := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return env, nil, jsonRefusal("body", err)
		}
		key, _ := tok.(string)
		var rej *refusal
		if strings.EqualFold(key, "batch") {
			if seenBatch {
				return env, nil, &refusal{reasonInvalid, "batch appears twice"}
			}
			seenBatch = true
			msgs, rej = readMessages(dec, body, limit)
		} else {
			rej = readEnvelopeField(dec, key, &env)
		}
		if rej != nil {
			return env, nil, rej
		}
	}
	return env, msgs, expectEnd(dec)
}

// readEnvelopeField reads the value of the envelope field key into env,
// skipping fields Rapport does not use.
func readEnvelopeField(dec *json.Decoder, key string, env *envelope) *refusal {
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return jsonRefusal("body", err)
	}
	switch {
	case strings.EqualFold(key, "sentAt"):
		env.SentAt = raw
	case strings.EqualFold(key, "context"):
		env.Context = raw
	case strings.EqualFold(key, "integrations"):
		env.Integrations = raw
	case strings.EqualFold(key, "writeKey") && !isAbsent(raw):
		if err := json.Unmarshal(raw, &env.WriteKey); err != nil {
			return &refusal{reasonInvalid, "writeKey must be a string"}
		}
	}
	return nil
}

// readMessages reads the batch array. A message of the wrong shape is
// rejected alone; a syntax error refuses the body.
func readMessages(dec *json.Decoder, body []byte, limit int) ([]pending, *refusal) {
	tok, err := dec.Token()
	switch {
	case err != nil:
		return nil, jsonRefusal("body", err)
	case tok == nil:
		return nil, nil // "batch": null
	case tok != json.Delim('['):
		return nil, &refusal{reasonInvalid, "batch must be an array"}
	}
	msgs := make([]pending, 0, 100)
	for dec.More() {
		start := dec.InputOffset()
		msgs = append(msgs, pending{})
		p := &msgs[len(msgs)-1]
		err := dec.Decode(&p.m)
		if err != nil && !isTypeError(err) {
			return nil, jsonRefusal("body", err)
		}
		p.rej = checkMessage(element(body, start, dec.InputOffset()), err, limit)
	}
	return msgs, expectDelim(dec, ']', "batch must be an array")
}

// element returns the raw bytes of the array element that the decoder
// read between offsets start and end: without the separating comma and
// white space before it.
func element(body []byte, start, end int64) []byte {
	if start < 0 || end > int64(len(body)) || start > end {
		return nil // cannot happen with a decoder over body
	}
	return bytes.TrimLeft(body[start:end], ", \t\r\n")
}

// expectDelim reads the next token and refuses the body unless it is d.
func expectDelim(dec *json.Decoder, d json.Delim, reason string) *refusal {
	tok, err := dec.Token()
	if err != nil {
		return jsonRefusal("body", err)
	}
	if tok != d {
		return &refusal{reasonInvalidJSON, reason}
	}
	return nil
}

// expectEnd reads the envelope's closing brace and refuses anything after
// it but white space.
func expectEnd(dec *json.Decoder) *refusal {
	if rej := expectDelim(dec, '}', "body must be a JSON object"); rej != nil {
		return rej
	}
	if _, err := dec.Token(); err != io.EOF {
		return &refusal{reasonInvalidJSON, "body has data after the JSON object"}
	}
	return nil
}

// exactSyntax replaces a refusal for bad JSON with one giving the byte
// offset from the start of the body: the streaming decoder counts from the
// value it was reading. Checking the body again costs a scan, on this error
// path only.
func exactSyntax(body []byte, rej *refusal) *refusal {
	if rej.label != reasonInvalidJSON {
		return rej
	}
	var syntax *json.SyntaxError
	if err := json.Unmarshal(body, &struct{}{}); errors.As(err, &syntax) {
		return jsonRefusal("body", err)
	}
	return rej
}

// isTypeError reports whether err is a value of the wrong type, which
// refuses one message and not the body.
func isTypeError(err error) bool {
	var typ *json.UnmarshalTypeError
	return errors.As(err, &typ)
}

// jsonRefusal describes a JSON decoding error of what, with the byte
// offset when the decoder gives one.
func jsonRefusal(what string, err error) *refusal {
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		return &refusal{reasonInvalidJSON, fmt.Sprintf("%s is not valid JSON at byte %d: %s", what, syntax.Offset, syntax.Error())}
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return &refusal{reasonInvalidJSON, typeReason(typ)}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return &refusal{reasonInvalidJSON, what + " is not valid JSON: unexpected end"}
	}
	return &refusal{reasonInvalidJSON, fmt.Sprintf("%s is not valid JSON: %s", what, err.Error())}
}

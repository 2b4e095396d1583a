package lead

import (
	"bytes"
	"errors"
	"fmt"
	json "github.com/goccy/go-json"
	"io"
	"strings"

	"github.com/rapportdev/rapport"
)

// MaxLeadsPerRequest bounds the leads of one intake request.
const MaxLeadsPerRequest = 1000

// Item is one lead read from a request: the lead, or why it could not be
// read. Line is its line in a CSV upload (0 for JSON).
type Item struct {
	Lead rapport.Lead
	Line int
	Err  error
}

// DecodeJSON reads an intake body: one lead object, or {"leads": [...]}.
// Each lead keeps its raw bytes. A lead of the wrong shape (an unknown
// field, a string where a number belongs) is an error of that item; a body
// that is not JSON, or holds more than MaxLeadsPerRequest leads, is an
// error of the whole.
func DecodeJSON(body []byte) ([]Item, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(body, &probe); err != nil {
		return nil, rapport.Errorf(rapport.EINVALID, "body: want a lead or {\"leads\": [...]}: %s", jsonProblem(err))
	}
	raw, batch := probe["leads"]
	if !batch {
		return []Item{decodeOne(body)}, nil
	}
	if len(probe) > 1 {
		return nil, rapport.Errorf(rapport.EINVALID, "body: a batch has the field leads and nothing else")
	}
	var leads []json.RawMessage
	if err := json.Unmarshal(raw, &leads); err != nil {
		return nil, rapport.Errorf(rapport.EINVALID, "leads: want an array of leads")
	}
	switch {
	case len(leads) == 0:
		return nil, rapport.Errorf(rapport.EINVALID, "leads: empty")
	case len(leads) > MaxLeadsPerRequest:
		return nil, rapport.Errorf(rapport.EINVALID, "leads: %d leads, at most %d per request", len(leads), MaxLeadsPerRequest)
	}
	items := make([]Item, len(leads))
	for i, r := range leads {
		items[i] = decodeOne(r)
	}
	return items, nil
}

// decodeOne reads one lead, refusing fields Rapport does not know (a
// misspelt submittedAt would otherwise pass unnoticed) and the fields set
// by Rapport itself.
func decodeOne(raw []byte) Item {
	var l rapport.Lead
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return Item{Err: rapport.Errorf(rapport.EINVALID, "%s", jsonProblem(err))}
	}
	if l.ID != "" || l.VendorID != "" || l.PersonID != "" {
		return Item{Err: rapport.Errorf(rapport.EINVALID, "id, vendorId and personId are set by Rapport; send externalId")}
	}
	l.Raw = append(json.RawMessage(nil), bytes.TrimSpace(raw)...)
	return Item{Lead: clearDerived(l)}
}

// clearDerived drops what Rapport works out itself, so a vendor cannot
// send a lead in marked contactable, valued or already worked.
func clearDerived(l rapport.Lead) rapport.Lead {
	return rapport.Lead{ExternalID: l.ExternalID, Price: l.Price, Person: l.Person, Answers: l.Answers,
		SubmittedAt: l.SubmittedAt, DeliveredAt: l.DeliveredAt, Form: l.Form, Page: l.Page, Source: l.Source,
		Journey: l.Journey, Consent: l.Consent, Raw: l.Raw}
}

// jsonProblem describes a JSON error without Go type names.
func jsonProblem(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("not valid JSON at byte %d", syntax.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("field %s: want %s, got %s", typ.Field, kindName(typ.Type.Kind().String()), typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "unexpected end of JSON"
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")
	case strings.Contains(err.Error(), "parsing time"):
		return "a time is not RFC 3339 (2026-11-23T10:04:05Z)"
	}
	return "not a valid lead"
}

func kindName(k string) string {
	switch {
	case strings.HasPrefix(k, "int"), strings.HasPrefix(k, "float"), strings.HasPrefix(k, "uint"):
		return "a number"
	case k == "struct", k == "map":
		return "an object"
	case k == "slice":
		return "an array"
	}
	return "a " + k
}

package http

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rapportdev/rapport"
)

// Paging bounds for the admin API's lists.
const (
	defaultPageLimit = 50
	maxPageLimit     = 1000
	// maxPageOffset keeps offset+limit far from overflowing an int on any
	// platform while allowing any realistic page.
	maxPageOffset = 1<<31 - 1
	// maxAdminBody bounds an admin request body; keys and settings are
	// small, so anything larger is a mistake or an attack.
	maxAdminBody = 64 << 10
)

// page is a validated limit and offset from the query string.
type page struct {
	Limit  int
	Offset int
}

// parsePage reads limit (1..1000, default 50) and offset (>= 0, default 0)
// from the query, with an EINVALID error naming the bad parameter.
func parsePage(q url.Values) (page, error) {
	var p page
	var err error
	if p.Limit, err = intParam(q, "limit", defaultPageLimit, 1, maxPageLimit); err != nil {
		return p, err
	}
	if p.Offset, err = intParam(q, "offset", 0, 0, maxPageOffset); err != nil {
		return p, err
	}
	return p, nil
}

// intParam returns the named query parameter as an int in [lo, hi], def
// when absent.
func intParam(q url.Values, name string, def, lo, hi int) (int, error) {
	raw, ok := q[name]
	if !ok {
		return def, nil
	}
	if len(raw) != 1 {
		return 0, rapport.Errorf(rapport.EINVALID, "%s: give it once", name)
	}
	n, err := strconv.Atoi(raw[0])
	if err != nil || n < lo || n > hi {
		return 0, rapport.Errorf(rapport.EINVALID, "%s: must be an integer from %d to %d", name, lo, hi)
	}
	return n, nil
}

// nextPageURL returns the request's URL (path and query, relative to the
// server) moved one page on, keeping every other parameter.
func nextPageURL(r *http.Request, p page) string {
	q := r.URL.Query()
	q.Set("limit", strconv.Itoa(p.Limit))
	q.Set("offset", strconv.Itoa(p.Offset+p.Limit))
	return r.URL.Path + "?" + q.Encode()
}

// decodeAdminBody decodes a JSON request body of at most 64 KB into v,
// refusing unknown fields and trailing data with an EINVALID error that
// says what was wrong.
func decodeAdminBody(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxAdminBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return bodyError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return rapport.Errorf(rapport.EINVALID, "body: want one JSON object and nothing after it")
	}
	return nil
}

// bodyError turns a decoding error into a message safe to show. The json
// package's own messages name the field and type but not our internals.
func bodyError(err error) error {
	var tooBig *http.MaxBytesError
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &tooBig):
		return errBodyTooLarge
	case errors.Is(err, io.EOF):
		return rapport.Errorf(rapport.EINVALID, "body: empty, want a JSON object")
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return rapport.Errorf(rapport.EINVALID, "body: malformed JSON")
	case errors.As(err, &typ):
		return rapport.Errorf(rapport.EINVALID, "body: field %q: want %s", typ.Field, typ.Type)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.TrimPrefix(err.Error(), "json: unknown field ")
		return rapport.Errorf(rapport.EINVALID, "body: unknown field %s", field)
	}
	return rapport.Errorf(rapport.EINVALID, "body: not a valid JSON object")
}

// errBodyTooLarge is answered with 413 rather than through the code map,
// which has no status for it.
var errBodyTooLarge = rapport.Errorf(rapport.EINVALID, "body: larger than 64 KB")

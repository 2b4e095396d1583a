package http

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/rapportdev/rapport"
)

// endpoint describes one tracking route.
type endpoint struct {
	// name is the metric label: the path's last element.
	name string
	// implied is the message type of a single-message endpoint; empty
	// for batch and import.
	implied rapport.EventType
	// guarded endpoints apply the per-profile rate guard; /v1/import is
	// for history and is not guarded.
	guarded bool
}

// registerTracking adds the Segment-compatible tracking routes.
func (s *Server) registerTracking(mux *http.ServeMux) {
	guard := newRateGuard(s.cfg.Limits.ProfileRate, s.cfg.Limits.ProfileBurst)
	s.metrics.watchQueue(s.cfg.Ingest)
	types := []rapport.EventType{rapport.EventIdentify, rapport.EventTrack, rapport.EventPage,
		rapport.EventScreen, rapport.EventGroup, rapport.EventAlias}
	for _, t := range types {
		ep := endpoint{name: string(t), implied: t, guarded: true}
		mux.Handle("POST /v1/"+string(t), s.handleTracking(ep, guard))
	}
	mux.Handle("POST /v1/batch", s.handleTracking(endpoint{name: "batch", guarded: true}, guard))
	mux.Handle("POST /v1/import", s.handleTracking(endpoint{name: "import"}, guard))
}

// trackingResponse is the body of a tracking response that is not a plain
// error. Clients check only the status; Segment answers {"success": true}.
type trackingResponse struct {
	Success  bool        `json:"success,omitempty"`
	Error    string      `json:"error,omitempty"`
	Code     string      `json:"code,omitempty"`
	Accepted int         `json:"accepted"`
	Rejected []rejection `json:"rejected,omitempty"`
}

// handleTracking serves one tracking endpoint. A 2xx means every message
// is durably in the log.
//
// Mixed batches: the valid messages are appended and kept, and the answer
// is 400 listing every rejected message by index, id and reason, with the
// number accepted. A client that retries the whole batch loses nothing and
// duplicates nothing (the kept messages are deduplicated by messageId); one
// that does not retry has lost only the messages that could never be
// accepted. Rejecting the whole batch instead would make one bad message
// block its good neighbours forever.
func (s *Server) handleTracking(ep endpoint, guard *rateGuard) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		receivedAt := s.cfg.Clock.Now()
		key, ok := s.basicKey(w, r)
		if !ok {
			return
		}
		d, ok := s.readTracking(w, r, ep, receivedAt, key)
		if !ok {
			return
		}
		if key == nil {
			if key, ok = s.authenticate(w, r, d.writeKey); !ok {
				return
			}
		}
		s.accept(w, r, ep, guard, key, d)
	}
}

// basicKey authenticates the write key of HTTP Basic auth when the request
// has one, before the body is read. It returns a nil key when there is none
// (the body's writeKey is tried later), and false when it answered.
func (s *Server) basicKey(w http.ResponseWriter, r *http.Request) (*rapport.Key, bool) {
	if user, _, ok := r.BasicAuth(); !ok || user == "" {
		return nil, true
	}
	return s.authenticate(w, r, writeKey(r, ""))
}

// authenticate checks a write key, answering 401 when it is not one.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request, secret string) (*rapport.Key, bool) {
	if secret == "" {
		s.metrics.reject(reasonUnauthorized, 1)
		s.writeError(w, r, rapport.Errorf(rapport.EUNAUTHORIZED,
			"write key required: HTTP Basic auth with the write key as username, or writeKey in the body"))
		return nil, false
	}
	key, err := s.keys.Authenticate(r.Context(), secret, rapport.KeyWrite)
	if err != nil {
		if rapport.ErrorCode(err) == rapport.EUNAUTHORIZED {
			s.metrics.reject(reasonUnauthorized, 1)
		}
		s.writeError(w, r, err)
		return nil, false
	}
	return key, true
}

// readTracking reads and decodes the body. A body refused as a whole is
// answered 400, except that an unauthenticated request (key nil, no
// writeKey readable) is answered 401 without saying what was wrong with
// its body.
func (s *Server) readTracking(w http.ResponseWriter, r *http.Request, ep endpoint, receivedAt time.Time, key *rapport.Key) (*decoded, bool) {
	body, rej := s.readBody(w, r)
	defer releaseBody(body)
	var d *decoded
	if rej == nil {
		d, rej = decodeBody(body.Bytes(), decodeOptions{
			implied:         ep.implied,
			receivedAt:      receivedAt,
			maxMessageBytes: s.cfg.Limits.MaxMessageBytes,
		})
	}
	if rej == nil {
		return d, true
	}
	if key == nil && (d == nil || d.writeKey == "") {
		s.authenticate(w, r, "")
		return nil, false
	}
	if key == nil {
		if _, ok := s.authenticate(w, r, d.writeKey); !ok {
			return nil, false
		}
	}
	s.metrics.reject(rej.label, 1)
	s.writeError(w, r, rapport.Errorf(rapport.EINVALID, "%s", rej.reason))
	return nil, false
}

// accept applies the rate guard, appends the accepted events durably and
// answers.
func (s *Server) accept(w http.ResponseWriter, r *http.Request, ep endpoint, guard *rateGuard, key *rapport.Key, d *decoded) {
	for i := range d.events {
		d.events[i].SourceID = key.ID
	}
	if ep.guarded && len(d.events) > 0 && !guard.allowEvents(d.events[0].ReceivedAt, d.events) {
		s.metrics.reject(reasonRateLimited, len(d.events))
		s.writeError(w, r, rapport.Errorf(rapport.ERATELIMITED,
			"a profile exceeds %g events per second; nothing of this request was stored, retry it later", s.cfg.Limits.ProfileRate))
		return
	}
	if len(d.events) > 0 {
		if err := s.cfg.Ingest.Append(r.Context(), d.events); err != nil {
			if rapport.ErrorCode(err) == rapport.EOVERLOADED {
				s.metrics.reject(reasonOverloaded, len(d.events))
			}
			s.writeError(w, r, err)
			return
		}
		s.metrics.events.WithLabelValues(ep.name).Add(float64(len(d.events)))
	}
	s.answer(w, d)
}

// answer writes 200 when every message was accepted, else 400 naming
// every rejected one.
func (s *Server) answer(w http.ResponseWriter, d *decoded) {
	if len(d.rejected) == 0 {
		writeJSON(w, http.StatusOK, trackingResponse{Success: true, Accepted: len(d.events)})
		return
	}
	for _, rej := range d.rejected {
		s.metrics.reject(rej.label, 1)
	}
	msg := fmt.Sprintf("%d of %d messages rejected", len(d.rejected), len(d.rejected)+len(d.events))
	if len(d.rejected) == 1 && len(d.events) == 0 {
		msg = d.rejected[0].Reason
	}
	writeJSON(w, http.StatusBadRequest, trackingResponse{
		Error: msg, Code: rapport.EINVALID, Accepted: len(d.events), Rejected: d.rejected,
	})
}

// bodyPool recycles request body buffers: decoding copies what it keeps,
// so a buffer is free again once the body is decoded.
var bodyPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// readBody reads the request body, gunzipping it when the client says so,
// and refuses one over MaxBatchBytes after decompression (Segment answers
// 400 for too large a batch, and so does Rapport). The raw body is bounded
// too, so a client cannot stream forever. The buffer is returned even with
// a refusal, for releaseBody.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) (*bytes.Buffer, *refusal) {
	limit := int64(s.cfg.Limits.MaxBatchBytes)
	buf := bodyPool.Get().(*bytes.Buffer)
	buf.Reset()
	src, closeSrc, rej := decompress(r, http.MaxBytesReader(w, r.Body, limit))
	if rej != nil {
		return buf, rej
	}
	defer closeSrc()
	if r.ContentLength > 0 && r.ContentLength <= limit {
		buf.Grow(int(r.ContentLength))
	}
	n, err := buf.ReadFrom(io.LimitReader(src, limit+1))
	var tooBig *http.MaxBytesError
	switch {
	case n > limit || errors.As(err, &tooBig):
		return buf, &refusal{reasonTooLarge, fmt.Sprintf("body exceeds %d KB", limit>>10)}
	case err != nil:
		return buf, &refusal{reasonInvalid, "cannot read body: " + err.Error()}
	}
	return buf, nil
}

// decompress wraps body in the decoder its Content-Encoding names.
func decompress(r *http.Request, body io.Reader) (io.Reader, func(), *refusal) {
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
		return body, func() {}, nil
	case "gzip":
		zr, err := gzip.NewReader(body)
		if err != nil {
			return nil, nil, &refusal{reasonInvalid, "body is not valid gzip: " + err.Error()}
		}
		return zr, func() { zr.Close() }, nil
	default:
		return nil, nil, &refusal{reasonInvalid, fmt.Sprintf("unsupported Content-Encoding %q: send gzip or none", enc)}
	}
}

// releaseBody returns a body buffer to the pool, unless it grew unusually
// large.
func releaseBody(buf *bytes.Buffer) {
	if buf != nil && buf.Cap() <= 1<<20 {
		bodyPool.Put(buf)
	}
}

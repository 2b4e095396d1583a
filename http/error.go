package http

import (
	"encoding/json"
	"net/http"

	"github.com/rapportdev/rapport"
)

// statusByCode maps domain error codes to HTTP statuses, in one place.
var statusByCode = map[string]int{
	rapport.ECONFLICT:     http.StatusConflict,
	rapport.EINVALID:      http.StatusBadRequest,
	rapport.ENOTFOUND:     http.StatusNotFound,
	rapport.EUNAUTHORIZED: http.StatusUnauthorized,
	rapport.EOVERLOADED:   http.StatusServiceUnavailable,
	rapport.ERATELIMITED:  http.StatusTooManyRequests,
	rapport.EINTERNAL:     http.StatusInternalServerError,
}

// errorResponse is the JSON body of every error.
type errorResponse struct {
	Error string `json:"error"`
	Code  string `json:"code"`
}

// writeError writes err as JSON with the status its code maps to. Internal
// errors are logged with the request and answered with a generic message.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code, msg := rapport.ErrorCode(err), rapport.ErrorMessage(err)
	if code == rapport.EINTERNAL {
		s.cfg.Logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	status := statusByCode[code]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	if code == rapport.EOVERLOADED || code == rapport.ERATELIMITED {
		w.Header().Set("Retry-After", "1")
	}
	if code == rapport.EUNAUTHORIZED {
		w.Header().Set("WWW-Authenticate", `Basic realm="rapport"`)
	}
	writeJSON(w, status, errorResponse{Error: msg, Code: code})
}

// writeJSON writes v as a JSON response with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // JSON for programs: next links keep their "&"
	_ = enc.Encode(v)        // the client may be gone; nothing to do
}

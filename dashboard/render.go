package dashboard

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/rapportdev/rapport"
)

// layout is what every template receives: the page's own data in Page,
// and what the frame around it (header, navigation, sign-out form) needs.
type layout struct {
	Nav      []navEntry
	Section  string
	SignedIn bool
	// CSRF is the session's token, for every form that posts.
	CSRF string
	Page any
}

// parseViews parses every template in templates/ with the layout
// (base.html) it fills in and the partials every page may use, by file
// name.
func parseViews(a *assets) (map[string]*template.Template, error) {
	base, err := template.New("base.html").Funcs(funcs(a)).ParseFS(files, "templates/base.html", "templates/partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("dashboard: parse layout: %w", err)
	}
	names, err := fs.Glob(files, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("dashboard: list templates: %w", err)
	}
	views := map[string]*template.Template{}
	for _, name := range names {
		if path.Base(name) == "base.html" {
			continue
		}
		t, err := base.Clone()
		if err == nil {
			t, err = t.ParseFS(files, name)
		}
		if err != nil {
			return nil, fmt.Errorf("dashboard: parse %s: %w", name, err)
		}
		views[path.Base(name)] = t
	}
	return views, nil
}

// render writes view with data inside the layout. The page is rendered
// into memory first, so a template error never sends half a page. Pages
// show personal data: no cache may keep them.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, s *session, view string, status int, data any) {
	l := layout{Nav: nav, Section: sectionOf(view), Page: data}
	if s != nil {
		l.SignedIn, l.CSRF = true, h.sessions.csrf(s)
	}
	var buf bytes.Buffer
	t, ok := h.views[view]
	if !ok {
		h.cfg.Logger.Error("render page: no such view", "view", view, "path", r.URL.Path)
		http.Error(w, "The page could not be shown.", http.StatusInternalServerError)
		return
	}
	if err := t.ExecuteTemplate(&buf, "base.html", l); err != nil {
		h.cfg.Logger.Error("render page", "view", view, "path", r.URL.Path, "err", err)
		http.Error(w, "The page could not be shown.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// errorView is the data of the error page.
type errorView struct {
	Status  int
	Title   string
	Message string
}

// redirect is an error a loader returns to send the browser elsewhere,
// e.g. from a merged profile to the one it was merged into.
type redirect struct{ to string }

func (r *redirect) Error() string { return "redirect to " + r.to }

// fail shows err: a redirect is followed, a domain error is shown with
// its status and message, anything else is logged and shown as a
// generic error, so internals never reach the page.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, s *session, err error) {
	var rd *redirect
	if errors.As(err, &rd) {
		http.Redirect(w, r, rd.to, http.StatusFound)
		return
	}
	v := errorView{Status: statusOf(err), Message: rapport.ErrorMessage(err)}
	v.Title = http.StatusText(v.Status)
	if v.Status == http.StatusInternalServerError {
		h.cfg.Logger.Error("dashboard", "method", r.Method, "path", r.URL.Path, "err", err)
		v.Message = "Something went wrong on our side; the details are in the server's log."
	}
	h.render(w, r, s, "error.html", v.Status, v)
}

// statusOf maps a domain error's code to the status the page is sent with.
func statusOf(err error) int {
	switch rapport.ErrorCode(err) {
	case rapport.ENOTFOUND:
		return http.StatusNotFound
	case rapport.EINVALID:
		return http.StatusBadRequest
	case rapport.ECONFLICT:
		return http.StatusConflict
	case rapport.EUNAUTHORIZED:
		return http.StatusForbidden
	case rapport.ERATELIMITED:
		return http.StatusTooManyRequests
	case rapport.EOVERLOADED:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// notFound answers a path no page claims, inside the layout when the
// visitor is signed in. Under the APIs' prefixes (a wrong method or a
// mistyped endpoint reaches the dashboard, mounted at "/") the answer is
// JSON, as API clients expect.
func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/api/") || strings.HasPrefix(r.URL.Path, "/v1/") {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"error":"no such endpoint, or not with this method","code":"not_found"}` + "\n"))
		return
	}
	s, _ := h.currentSession(r)
	h.fail(w, r, s, rapport.Errorf(rapport.ENOTFOUND, "There is no page at %s.", r.URL.Path))
}

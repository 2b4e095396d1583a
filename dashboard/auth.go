package dashboard

import (
	"cmp"
	"crypto/hmac"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/rapportdev/rapport"
)

// Cookie names. The login cookie ties the sign-in form's CSRF token to
// the browser that asked for the form.
const (
	sessionCookie = "rapport_session"
	loginCookie   = "rapport_login"
)

// maxFormBody bounds a posted form; the largest is the scoring model
// (the shipped templates are about 8 KB).
const maxFormBody = 1 << 20

// sessionHandler is a handler that runs for a signed-in session.
type sessionHandler func(http.ResponseWriter, *http.Request, *session)

// requireSession runs h for a signed-in visitor and sends anyone else to
// the sign-in page, which brings them back afterwards.
func (h *Handler) requireSession(next sessionHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s, err := h.currentSession(r)
		if err != nil {
			h.fail(w, r, nil, err)
			return
		}
		if s == nil {
			to := "/login"
			if r.Method == http.MethodGet {
				to += "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			http.Redirect(w, r, to, http.StatusSeeOther)
			return
		}
		next(w, r, s)
	}
}

// currentSession returns the request's session, nil when there is none
// valid: no cookie, a bad signature, expired, signed out, or opened with
// an admin token that has since been revoked, or as a user who has since
// been removed or changed their password.
func (h *Handler) currentSession(r *http.Request) (*session, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil, nil
	}
	s, ok := h.sessions.read(c.Value)
	if !ok {
		return nil, nil
	}
	valid, err := h.admins.valid(r.Context(), s.KeyID, s.Epoch)
	if err != nil || !valid {
		return nil, err
	}
	return s, nil
}

// requireCSRF runs h only when the posted form carries the session's
// CSRF token.
func (h *Handler) requireCSRF(next sessionHandler) sessionHandler {
	return func(w http.ResponseWriter, r *http.Request, s *session) {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
		if err := r.ParseForm(); err != nil {
			h.fail(w, r, s, rapport.Errorf(rapport.EINVALID, "The form could not be read (larger than 1 MB, or malformed)."))
			return
		}
		if !h.sessions.checkCSRF(s, r.PostForm.Get("csrf")) {
			h.fail(w, r, s, rapport.Errorf(rapport.EUNAUTHORIZED,
				"The form's security token is missing or wrong (the form may be from an earlier sign-in): reload the page and try again."))
			return
		}
		next(w, r, s)
	}
}

// loginView is the data of the sign-in page.
type loginView struct {
	CSRF  string
	Next  string
	Error string
	// Email is the address a refused sign-in was tried with, shown again.
	Email string
	// Status is the answer's status when an error is shown (default 401).
	Status int
}

// loginForm answers GET /login: the sign-in form, or the leads for
// someone already signed in.
func (h *Handler) loginForm(w http.ResponseWriter, r *http.Request) {
	if s, err := h.currentSession(r); err == nil && s != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	h.showLogin(w, r, loginView{Next: safeNext(r.URL.Query().Get("next"))})
}

// showLogin renders the sign-in form with a CSRF token tied to the
// browser's login cookie, set here when it has none.
func (h *Handler) showLogin(w http.ResponseWriter, r *http.Request, v loginView) {
	n := ""
	if c, err := r.Cookie(loginCookie); err == nil && len(c.Value) == 32 {
		n = c.Value
	} else {
		n = nonce()
		http.SetCookie(w, h.cookie(r, loginCookie, n, 3600))
	}
	v.CSRF = b64(h.sessions.mac("login", n))
	status := http.StatusOK
	if v.Error != "" {
		status = cmp.Or(v.Status, http.StatusUnauthorized)
	}
	h.render(w, r, nil, "login.html", status, v)
}

// login answers POST /login: a valid admin token, or a user's email and
// password, opens a session.
func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, nil, rapport.Errorf(rapport.EINVALID, "The form could not be read."))
		return
	}
	next := safeNext(r.PostForm.Get("next"))
	c, err := r.Cookie(loginCookie)
	if err != nil || !h.checkLoginCSRF(c.Value, r.PostForm.Get("csrf")) {
		h.showLogin(w, r, loginView{Next: next, Error: "The sign-in form expired or your browser refused its cookie: please try again (cookies must be allowed)."})
		return
	}
	if r.PostForm.Has("email") {
		h.loginUser(w, r, next)
		return
	}
	key, err := h.keys.Authenticate(r.Context(), strings.TrimSpace(r.PostForm.Get("token")), rapport.KeyAdmin)
	if code := rapport.ErrorCode(err); code == rapport.EUNAUTHORIZED {
		h.cfg.Logger.Warn("dashboard sign-in refused", "remote", r.RemoteAddr)
		h.showLogin(w, r, loginView{Next: next, Error: "That is not a valid admin token."})
		return
	} else if err != nil {
		h.fail(w, r, nil, fmt.Errorf("sign in: %w", err))
		return
	}
	h.cfg.Logger.Info("dashboard sign-in", "key", key.ID, "name", key.Name)
	h.openSession(w, r, key.ID, 0, next)
}

// openSession signs the browser in as id (an admin token's key id, or a
// user id in the user's session epoch) and sends it on to next.
func (h *Handler) openSession(w http.ResponseWriter, r *http.Request, id string, epoch int64, next string) {
	_, value := h.sessions.open(id, epoch)
	http.SetCookie(w, h.cookie(r, sessionCookie, value, int(sessionTTL.Seconds())))
	http.SetCookie(w, h.cookie(r, loginCookie, "", -1))
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// checkLoginCSRF reports whether token is the one the sign-in form was
// given for the browser's login cookie.
func (h *Handler) checkLoginCSRF(cookie, token string) bool {
	got, err := base64.RawURLEncoding.DecodeString(token)
	return cookie != "" && err == nil && hmac.Equal(got, h.sessions.mac("login", cookie))
}

// logout answers POST /logout: the session ends, here and for any copy
// of its cookie.
func (h *Handler) logout(w http.ResponseWriter, r *http.Request, s *session) {
	h.sessions.end(s)
	http.SetCookie(w, h.cookie(r, sessionCookie, "", -1))
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// cookie returns a cookie scripts cannot read and other sites cannot make
// the browser send; maxAge below 0 deletes it.
func (h *Handler) cookie(r *http.Request, name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil}
}

// safeNext returns where to go after signing in: a path on this site,
// else the leads. "//host" and "/\host" would leave the site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.HasPrefix(next, "/login") {
		return "/leads"
	}
	return next
}

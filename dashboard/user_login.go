package dashboard

import (
	"fmt"
	"net/http"
	"runtime"
	"strings"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/password"
)

// hashing bounds the password checks that run at once: each takes about
// 19 MiB and tens of milliseconds, so a burst of sign-ins must queue
// rather than exhaust memory.
var hashing = make(chan struct{}, runtime.GOMAXPROCS(0))

// decoyHash is checked against when no user has the email, so that an
// unknown address takes as long to refuse as a wrong password: the time
// of an answer does not tell which addresses have accounts.
var decoyHash = mustHash("decoy password for unknown addresses")

func mustHash(pw string) string {
	h, err := password.Hash(pw)
	if err != nil {
		panic(err) // a constant that passes Check
	}
	return h
}

// badCredentials is the one answer to a wrong email or password.
const badCredentials = "That email and password do not match an account."

// loginUser signs a user in with their email and password.
func (h *Handler) loginUser(w http.ResponseWriter, r *http.Request, next string) {
	email, pw := strings.TrimSpace(r.PostForm.Get("email")), r.PostForm.Get("password")
	u, err := h.cfg.Store.FindUserByEmail(r.Context(), email)
	hash := decoyHash
	switch {
	case err == nil:
		hash = u.PasswordHash
	case rapport.ErrorCode(err) != rapport.ENOTFOUND:
		h.fail(w, r, nil, fmt.Errorf("sign in: %w", err))
		return
	}
	select {
	case hashing <- struct{}{}:
	case <-r.Context().Done():
		return
	}
	ok, verr := password.Verify(hash, pw)
	<-hashing
	if verr != nil {
		h.fail(w, r, nil, fmt.Errorf("sign in %s: stored password hash: %w", email, verr))
		return
	}
	if u == nil || !ok {
		h.cfg.Logger.Warn("dashboard sign-in refused", "remote", r.RemoteAddr, "email", email)
		h.showLogin(w, r, loginView{Next: next, Email: email, Error: badCredentials})
		return
	}
	h.cfg.Logger.Info("dashboard sign-in", "user", u.ID, "email", u.Email)
	h.openSession(w, r, u.ID, next)
}

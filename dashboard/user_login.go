package dashboard

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/password"
)

// hashing bounds the password checks that run at once: each takes about
// 19 MiB and tens of milliseconds, so a burst of sign-ins must queue
// rather than exhaust memory. A check waits for a slot at most
// hashingWait, so a flood of tries cannot hold honest sign-ins forever.
var hashing = make(chan struct{}, runtime.GOMAXPROCS(0))

const hashingWait = 2 * time.Second

// withHashing runs f in a hashing slot; EOVERLOADED when none frees up
// within hashingWait.
func withHashing(ctx context.Context, f func()) error {
	timer := time.NewTimer(hashingWait)
	defer timer.Stop()
	select {
	case hashing <- struct{}{}:
	case <-timer.C:
		return rapport.Errorf(rapport.EOVERLOADED, "The server is busy checking passwords: try again in a moment.")
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-hashing }()
	f()
	return nil
}

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

// loginUser signs a user in with their email and password. Failures are
// throttled per address and per network address (throttle.go).
func (h *Handler) loginUser(w http.ResponseWriter, r *http.Request, next string) {
	email, pw := strings.TrimSpace(r.PostForm.Get("email")), r.PostForm.Get("password")
	keys := signInKeys(r, email)
	if d := h.throttle.wait(keys); d > 0 {
		h.showLogin(w, r, loginView{Next: next, Email: email, Status: http.StatusTooManyRequests,
			Error: fmt.Sprintf("Too many failed sign-ins with this address or from your network: try again in %s.", roundUp(d))})
		return
	}
	u, err := h.cfg.Store.FindUserByEmail(r.Context(), email)
	hash := decoyHash
	switch {
	case err == nil:
		hash = u.PasswordHash
	case rapport.ErrorCode(err) != rapport.ENOTFOUND:
		h.fail(w, r, nil, fmt.Errorf("sign in: %w", err))
		return
	}
	ok, err := verifyLimited(r, hash, pw)
	if err != nil { // no slot in time (503), or a damaged stored hash
		h.fail(w, r, nil, fmt.Errorf("sign in %s: check the password: %w", email, err))
		return
	}
	if u == nil || !ok {
		h.throttle.fail(keys)
		// The address is not logged: people type passwords into it.
		h.cfg.Logger.Warn("dashboard sign-in refused", "remote", r.RemoteAddr)
		h.showLogin(w, r, loginView{Next: next, Email: email, Error: badCredentials})
		return
	}
	h.throttle.succeed(email)
	h.cfg.Logger.Info("dashboard sign-in", "user", u.ID, "email", u.Email)
	h.openSession(w, r, u.ID, u.SessionEpoch, next)
}

// roundUp writes a wait for people: whole seconds, or whole minutes from
// two minutes on.
func roundUp(d time.Duration) string {
	if d >= 2*time.Minute {
		return fmt.Sprintf("%d minutes", int((d+time.Minute-1)/time.Minute))
	}
	if s := int((d + time.Second - 1) / time.Second); s != 1 {
		return fmt.Sprintf("%d seconds", s)
	}
	return "1 second"
}

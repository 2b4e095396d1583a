package dashboard

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/password"
)

// userForm is the add-a-user form as it was sent, shown again with its
// error.
type userForm struct {
	Email string
	Name  string
}

// createUser answers POST /settings/users (email, name, password): a new
// account that signs in with the email and the password given here.
func (h *Handler) createUser(w http.ResponseWriter, r *http.Request, s *session) {
	f := userForm{Email: strings.TrimSpace(r.PostForm.Get("email")), Name: strings.TrimSpace(r.PostForm.Get("name"))}
	v := &settingsView{User: f}
	now := h.cfg.Clock.Now().UTC()
	u := &rapport.User{ID: rapport.NewID("u_"), Email: f.Email, Name: f.Name, CreatedAt: now, UpdatedAt: now}
	hash, err := hashLimited(r, r.PostForm.Get("password"))
	if err == nil {
		u.PasswordHash = hash
		err = h.cfg.Store.CreateUser(r.Context(), u)
	}
	if code := rapport.ErrorCode(err); code == rapport.EINVALID || code == rapport.ECONFLICT {
		// The id is made here: the visitor needs the rest of the message.
		v.UserError = sentence(strings.TrimPrefix(rapport.ErrorMessage(err), "user "+u.ID+": "))
		h.showSettings(w, r, s, v, http.StatusBadRequest)
		return
	} else if err != nil {
		h.fail(w, r, s, fmt.Errorf("create user: %w", err))
		return
	}
	h.admins.forget()
	h.cfg.Logger.Info("user created", "user", u.ID, "email", u.Email, "by", s.KeyID)
	v.User, v.Notice = userForm{}, u.Email+" can sign in now with the password you chose: ask them to change it under Settings."
	h.showSettings(w, r, s, v, http.StatusOK)
}

// deleteUser answers POST /settings/users/{id}/delete. Removing oneself
// is refused, so nobody signs themselves out of the dashboard by a click.
func (h *Handler) deleteUser(w http.ResponseWriter, r *http.Request, s *session) {
	id := r.PathValue("id")
	if id == s.KeyID {
		h.fail(w, r, s, rapport.Errorf(rapport.ECONFLICT, "You cannot remove the account you are signed in with."))
		return
	}
	if err := h.cfg.Store.DeleteUser(r.Context(), id); err != nil {
		h.fail(w, r, s, err)
		return
	}
	h.admins.forget()
	h.cfg.Logger.Info("user removed", "user", id, "by", s.KeyID)
	http.Redirect(w, r, "/settings?notice=user-removed#users", http.StatusSeeOther)
}

// changePassword answers POST /settings/password (current, new): the
// signed-in user's own password. The session continues under a fresh
// cookie; every other session of the user ends.
func (h *Handler) changePassword(w http.ResponseWriter, r *http.Request, s *session) {
	u, err := h.cfg.Store.FindUser(r.Context(), s.KeyID)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		h.fail(w, r, s, rapport.Errorf(rapport.EINVALID, "You are signed in with an admin token, which has no password."))
		return
	} else if err != nil {
		h.fail(w, r, s, fmt.Errorf("change password: %w", err))
		return
	}
	v := &settingsView{}
	ok, err := verifyLimited(r, u.PasswordHash, r.PostForm.Get("current"))
	if err != nil {
		h.fail(w, r, s, fmt.Errorf("change password: stored hash: %w", err))
		return
	}
	if !ok {
		v.PasswordError = "Your current password is not that."
		h.showSettings(w, r, s, v, http.StatusBadRequest)
		return
	}
	hash, err := hashLimited(r, r.PostForm.Get("new"))
	if rapport.ErrorCode(err) == rapport.EINVALID {
		v.PasswordError = sentence(rapport.ErrorMessage(err))
		h.showSettings(w, r, s, v, http.StatusBadRequest)
		return
	} else if err != nil {
		h.fail(w, r, s, fmt.Errorf("change password: %w", err))
		return
	}
	if err := h.cfg.Store.SetUserPassword(r.Context(), u.ID, hash, h.cfg.Clock.Now().UTC()); err != nil {
		h.fail(w, r, s, fmt.Errorf("change password: %w", err))
		return
	}
	h.admins.forget()
	h.cfg.Logger.Info("password changed", "user", u.ID)
	h.sessions.end(s)
	// This browser carries on in the new epoch; every other session ended
	// with the old one.
	changed, err := h.cfg.Store.FindUser(r.Context(), u.ID)
	if err != nil {
		h.fail(w, r, s, fmt.Errorf("change password: %w", err))
		return
	}
	h.openSession(w, r, u.ID, changed.SessionEpoch, "/settings?notice=password-changed#password")
}

// hashLimited hashes a password in a hashing slot; a password the policy
// refuses is EINVALID.
func hashLimited(r *http.Request, pw string) (string, error) {
	if err := password.Check(pw); err != nil {
		return "", rapport.Errorf(rapport.EINVALID, "%s", err.Error())
	}
	var hash string
	var herr error
	if err := withHashing(r.Context(), func() { hash, herr = password.Hash(pw) }); err != nil {
		return "", err
	}
	return hash, herr
}

// verifyLimited checks a password in a hashing slot.
func verifyLimited(r *http.Request, hash, pw string) (bool, error) {
	var ok bool
	var verr error
	if err := withHashing(r.Context(), func() { ok, verr = password.Verify(hash, pw) }); err != nil {
		return false, err
	}
	return ok, verr
}

// sentence turns an error message into a sentence for the page.
func sentence(msg string) string {
	if msg == "" {
		return ""
	}
	msg = strings.ToUpper(msg[:1]) + msg[1:]
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return msg
}

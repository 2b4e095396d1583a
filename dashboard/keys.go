package dashboard

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/rapportdev/rapport"
)

// maxKeyNameLen bounds a key's name, which is a label for people.
const maxKeyNameLen = 200

// createdKey is a new write key with its secret, shown once: only its
// hash is stored.
type createdKey struct {
	*rapport.Key
	Secret string
}

// createKey answers POST /settings/keys (name): a new write key, whose
// secret the page shows this once.
func (h *Handler) createKey(w http.ResponseWriter, r *http.Request, s *session) {
	name := strings.TrimSpace(r.PostForm.Get("name"))
	v := &settingsView{KeyName: name}
	switch {
	case name == "":
		v.KeyError = "Give the key a name, to recognise it by (e.g. the website or app that sends with it)."
	case utf8.RuneCountInString(name) > maxKeyNameLen:
		v.KeyError = fmt.Sprintf("The name is longer than %d characters.", maxKeyNameLen)
	}
	if v.KeyError != "" {
		h.showSettings(w, r, s, v, http.StatusBadRequest)
		return
	}
	secret := rapport.NewSecret("wk_")
	k := &rapport.Key{ID: rapport.NewID("k_"), Kind: rapport.KeyWrite, Name: name,
		Hash: rapport.HashSecret(secret), CreatedAt: h.cfg.Clock.Now().UTC()}
	if err := h.cfg.Store.CreateKey(r.Context(), k); err != nil {
		h.fail(w, r, s, fmt.Errorf("create write key: %w", err))
		return
	}
	h.cfg.Logger.Info("key created", "key", k.ID, "kind", k.Kind, "name", k.Name, "by", s.KeyID)
	v.NewKey, v.KeyName = &createdKey{Key: k, Secret: secret}, ""
	h.showSettings(w, r, s, v, http.StatusOK)
}

// revokeKey answers POST /settings/keys/{id}/revoke. Only write keys are
// revoked here: admin tokens are managed with `rapport keys`, so nobody
// locks everyone out of the dashboard by a click.
func (h *Handler) revokeKey(w http.ResponseWriter, r *http.Request, s *session) {
	id := r.PathValue("id")
	err := h.checkWriteKey(r.Context(), id)
	if err == nil {
		err = h.cfg.Store.DeleteKey(r.Context(), id)
	}
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	h.admins.forget()
	h.cfg.Logger.Info("key revoked", "key", id, "by", s.KeyID)
	http.Redirect(w, r, "/settings?notice=key-revoked#keys", http.StatusSeeOther)
}

// checkWriteKey returns ENOTFOUND unless id is a stored write key.
func (h *Handler) checkWriteKey(ctx context.Context, id string) error {
	keys, err := h.cfg.Store.FindKeys(ctx)
	if err != nil {
		return fmt.Errorf("find keys: %w", err)
	}
	for _, k := range keys {
		if k.ID == id && k.Kind == rapport.KeyWrite {
			return nil
		}
	}
	return rapport.Errorf(rapport.ENOTFOUND, "There is no write key %s.", id)
}

package http

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/rapportdev/rapport"
)

// secretPrefixes gives each key kind's secret a prefix, so a leaked
// secret says what it opens ("wk_" writes events, "at_" administers).
var secretPrefixes = map[rapport.KeyKind]string{
	rapport.KeyWrite: "wk_",
	rapport.KeyAdmin: "at_",
}

// maxKeyNameLen bounds a key's name, which is a label for people.
const maxKeyNameLen = 200

// keyRequest is the body of POST /api/v1/keys.
type keyRequest struct {
	Kind rapport.KeyKind `json:"kind"`
	Name string          `json:"name"`
}

// validate reports the first reason req cannot be created.
func (req *keyRequest) validate() error {
	req.Name = strings.TrimSpace(req.Name)
	switch {
	case secretPrefixes[req.Kind] == "":
		return rapport.Errorf(rapport.EINVALID, "kind: must be write or admin")
	case req.Name == "":
		return rapport.Errorf(rapport.EINVALID, "name: required, to recognise the key by")
	case utf8.RuneCountInString(req.Name) > maxKeyNameLen:
		return rapport.Errorf(rapport.EINVALID, "name: longer than %d characters", maxKeyNameLen)
	}
	return nil
}

// keyList is the body of GET /api/v1/keys. Keys encode without their hash.
type keyList struct {
	Keys []*rapport.Key `json:"keys"`
}

// createdKey is a new key with its secret, shown this once: only the
// hash is stored.
type createdKey struct {
	*rapport.Key
	Secret string `json:"secret"`
}

// listKeys answers GET /api/v1/keys.
func (s *Server) listKeys(w http.ResponseWriter, r *http.Request) {
	keys, err := s.cfg.Store.FindKeys(r.Context())
	if err != nil {
		s.adminError(w, r, fmt.Errorf("find keys: %w", err))
		return
	}
	writeJSON(w, http.StatusOK, keyList{Keys: append([]*rapport.Key{}, keys...)})
}

// createKey answers POST /api/v1/keys with the new key and its secret.
func (s *Server) createKey(w http.ResponseWriter, r *http.Request) {
	var req keyRequest
	err := decodeAdminBody(w, r, &req)
	if err == nil {
		err = req.validate()
	}
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	secret := rapport.NewSecret(secretPrefixes[req.Kind])
	k := &rapport.Key{ID: rapport.NewID("k_"), Kind: req.Kind, Name: req.Name,
		Hash: rapport.HashSecret(secret), CreatedAt: s.cfg.Clock.Now().UTC()}
	if err := s.cfg.Store.CreateKey(r.Context(), k); err != nil {
		s.adminError(w, r, fmt.Errorf("create %s key: %w", k.Kind, err))
		return
	}
	s.cfg.Logger.Info("key created", "key", k.ID, "kind", k.Kind, "name", k.Name)
	s.refreshKeys(r)
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, createdKey{Key: k, Secret: secret})
}

// deleteKey answers DELETE /api/v1/keys/{id}: the key is revoked.
func (s *Server) deleteKey(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	err := s.checkRevocable(r.Context(), id)
	if err == nil {
		err = s.cfg.Store.DeleteKey(r.Context(), id)
	}
	if err != nil {
		s.adminError(w, r, fmt.Errorf("revoke key %s: %w", id, err))
		return
	}
	s.cfg.Logger.Info("key revoked", "key", id)
	s.refreshKeys(r)
	w.WriteHeader(http.StatusNoContent)
}

// checkRevocable returns ENOTFOUND for an unknown key, and ECONFLICT for
// the last admin token: revoking it would lock every operator out of the
// admin API until someone with the database runs `rapport keys create`.
func (s *Server) checkRevocable(ctx context.Context, id string) error {
	keys, err := s.cfg.Store.FindKeys(ctx)
	if err != nil {
		return fmt.Errorf("find keys: %w", err)
	}
	var target *rapport.Key
	admins := 0
	for _, k := range keys {
		if k.Kind == rapport.KeyAdmin {
			admins++
		}
		if k.ID == id {
			target = k
		}
	}
	switch {
	case target == nil:
		return rapport.Errorf(rapport.ENOTFOUND, "key %s not found", id)
	case target.Kind == rapport.KeyAdmin && admins == 1:
		return rapport.Errorf(rapport.ECONFLICT, "key %s is the last admin token: create another before revoking it", id)
	}
	return nil
}

// refreshKeys makes the key ring see a created or revoked key at once.
// The change is already stored, so a failure is not the caller's: it is
// logged, and the ring's own reload picks the change up within seconds.
func (s *Server) refreshKeys(r *http.Request) {
	if err := s.keys.Refresh(r.Context()); err != nil {
		s.cfg.Logger.Warn("refresh keys after change", "err", err)
	}
}

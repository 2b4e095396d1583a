package http

import (
	"context"
	"crypto/subtle"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/rapportdev/rapport"
)

// Key ring refresh policy. A miss reloads the keys at most once per
// missInterval, so a new key works within a second and a flood of bad keys
// costs one store query a second. Any use reloads them after maxAge, so a
// revoked key stops working within that time.
const (
	missInterval = time.Second
	maxAge       = 10 * time.Second
)

// KeyRing authenticates write keys and admin tokens. It keeps the stored
// keys in memory, by hash, and reloads them from the store as the policy
// above says. It is safe for concurrent use.
type KeyRing struct {
	store rapport.KeyStore

	mu       sync.RWMutex
	byHash   map[string]*rapport.Key
	loadedAt time.Time // monotonic; zero until the first load

	reload sync.Mutex // one reload at a time
}

// NewKeyRing returns a key ring over the stored keys. The clock is not used
// for the refresh policy: that is about load on the store, not domain time,
// so it runs on the monotonic clock even when tests freeze the server's.
func NewKeyRing(store rapport.KeyStore, _ rapport.Clock) *KeyRing {
	return &KeyRing{store: store}
}

// Authenticate returns the key whose secret is given, when it is of the
// given kind. It returns EUNAUTHORIZED for an empty, unknown or revoked
// secret and for a key of another kind (an admin token is not a write key),
// without saying which; EINTERNAL when the store cannot be read.
func (k *KeyRing) Authenticate(ctx context.Context, secret string, kind rapport.KeyKind) (*rapport.Key, error) {
	if secret == "" {
		return nil, rapport.Errorf(rapport.EUNAUTHORIZED, "missing key")
	}
	hash := rapport.HashSecret(secret)
	key, age := k.lookup(hash)
	if key == nil || age > maxAge {
		fresh, err := k.refresh(ctx, hash, key == nil)
		switch {
		case err == nil:
			key = fresh
		case key == nil:
			return nil, err
		default:
			// The store is unreachable; the cached key is still the best
			// answer, and the next request tries again.
		}
	}
	// The map found the key by its hash; comparing again in constant time
	// keeps the final decision free of timing differences.
	if key == nil || subtle.ConstantTimeCompare([]byte(key.Hash), []byte(hash)) != 1 || key.Kind != kind {
		return nil, rapport.Errorf(rapport.EUNAUTHORIZED, "invalid key")
	}
	return key, nil
}

// Refresh reloads the keys from the store now. The admin API calls it after
// creating or revoking a key so the change applies at once.
func (k *KeyRing) Refresh(ctx context.Context) error {
	k.reload.Lock()
	defer k.reload.Unlock()
	return k.load(ctx)
}

// lookup returns the cached key with the hash, or nil, and the cache age.
func (k *KeyRing) lookup(hash string) (*rapport.Key, time.Duration) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	if k.loadedAt.IsZero() {
		return nil, maxAge + 1
	}
	return k.byHash[hash], time.Since(k.loadedAt)
}

// refresh reloads the keys when the policy allows, and looks hash up
// again. miss says the hash was not found; otherwise the cache is merely
// old, and a concurrent caller already reloading is not waited for.
func (k *KeyRing) refresh(ctx context.Context, hash string, miss bool) (*rapport.Key, error) {
	if miss {
		k.reload.Lock()
	} else if !k.reload.TryLock() {
		key, _ := k.lookup(hash)
		return key, nil
	}
	defer k.reload.Unlock()
	key, age := k.lookup(hash)
	due := (miss && key == nil && age >= missInterval) || age > maxAge
	if due {
		if err := k.load(ctx); err != nil {
			return nil, err
		}
		key, _ = k.lookup(hash)
	}
	return key, nil
}

// load replaces the cache with the stored keys. The caller holds k.reload.
func (k *KeyRing) load(ctx context.Context) error {
	keys, err := k.store.FindKeys(ctx)
	if err != nil {
		return fmt.Errorf("load keys: %w", err)
	}
	byHash := make(map[string]*rapport.Key, len(keys))
	for _, key := range keys {
		byHash[key.Hash] = key
	}
	k.mu.Lock()
	k.byHash, k.loadedAt = byHash, time.Now()
	k.mu.Unlock()
	return nil
}

// requireAdmin wraps h so that only requests with a valid admin bearer
// token (Authorization: Bearer <token>) reach it.
func (s *Server) requireAdmin(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token, ok := bearerToken(r)
		if !ok {
			s.writeError(w, r, rapport.Errorf(rapport.EUNAUTHORIZED, "admin token required (Authorization: Bearer <token>)"))
			return
		}
		if _, err := s.keys.Authenticate(r.Context(), token, rapport.KeyAdmin); err != nil {
			s.writeError(w, r, err)
			return
		}
		h(w, r)
	}
}

// bearerToken returns the token of an "Authorization: Bearer" header.
func bearerToken(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// writeKey returns the write key of a tracking request as Segment clients
// send it: the username of HTTP Basic auth (the password is empty), else
// the body's writeKey field.
func writeKey(r *http.Request, bodyKey string) string {
	if user, _, ok := r.BasicAuth(); ok && user != "" {
		return user
	}
	return bodyKey
}

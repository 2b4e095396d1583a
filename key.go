package rapport

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"
)

// KeyKind says what a key may do.
type KeyKind string

// Key kinds. A write key may only send events; an admin token may only use
// the admin API.
const (
	KeyWrite KeyKind = "write"
	KeyAdmin KeyKind = "admin"
)

// Key is a stored credential. Only the SHA-256 of the secret is kept: keys
// are long random strings, so a fast hash is enough and a stolen database
// reveals no usable key.
type Key struct {
	ID        string    `json:"id"`
	Kind      KeyKind   `json:"kind"`
	Name      string    `json:"name"`
	Hash      string    `json:"-"`
	CreatedAt time.Time `json:"createdAt"`
}

// HashSecret returns the hex SHA-256 of a key's secret, as stored.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// NewSecret returns a fresh random secret with the given prefix, e.g.
// "wk_" for write keys and "at_" for admin tokens.
func NewSecret(prefix string) string {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b[:])
}

// NewID returns a random identifier with the given prefix.
func NewID(prefix string) string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return prefix + hex.EncodeToString(b[:])
}

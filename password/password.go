// Package password hashes and checks the passwords of dashboard users
// with Argon2id (golang.org/x/crypto/argon2), in the PHC string format
// other tools read: $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>. The
// parameters are the OWASP minimum for Argon2id; they travel in each hash,
// so raising them later leaves stored hashes valid.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Length limits of a password. The upper one keeps hashing bounded
// against a request that sends megabytes.
const (
	MinLength = 12
	MaxLength = 1024
)

// params are the Argon2id cost parameters of new hashes.
var params = struct {
	memory  uint32 // KiB
	time    uint32
	threads uint8
	keyLen  uint32
	saltLen int
}{memory: 19 * 1024, time: 2, threads: 1, keyLen: 32, saltLen: 16}

// Check returns why pw cannot be a password, or nil.
func Check(pw string) error {
	switch n := utf8.RuneCountInString(pw); {
	case !utf8.ValidString(pw):
		return errors.New("password: not valid UTF-8")
	case n < MinLength:
		return fmt.Errorf("password: %d characters, want at least %d", n, MinLength)
	case len(pw) > MaxLength:
		return fmt.Errorf("password: longer than %d bytes", MaxLength)
	case strings.TrimSpace(pw) == "":
		return errors.New("password: only spaces")
	}
	return nil
}

// Hash returns the encoded Argon2id hash of pw with a fresh salt, after
// Check.
func Hash(pw string) (string, error) {
	if err := Check(pw); err != nil {
		return "", err
	}
	salt := make([]byte, params.saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password: salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, params.time, params.memory, params.threads, params.keyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, params.memory, params.time,
		params.threads, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// Verify reports whether pw matches the encoded hash, in constant time
// for a given hash. An encoded hash that does not parse is an error, not
// a mismatch: it means the stored record is damaged.
func Verify(encoded, pw string) (bool, error) {
	h, err := parse(encoded)
	if err != nil {
		return false, err
	}
	if len(pw) > MaxLength {
		return false, nil
	}
	key := argon2.IDKey([]byte(pw), h.salt, h.time, h.memory, h.threads, uint32(len(h.key)))
	return subtle.ConstantTimeCompare(key, h.key) == 1, nil
}

// decoded is a parsed hash.
type decoded struct {
	memory, time uint32
	threads      uint8
	salt, key    []byte
}

// Bounds on parameters read from a stored hash, so a damaged or planted
// record cannot make a sign-in allocate gigabytes or spin for minutes.
const (
	maxMemory = 256 << 10 // KiB: 256 MiB
	maxTime   = 16
)

// parse reads a PHC-format Argon2id hash.
func parse(encoded string) (*decoded, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return nil, errors.New("password hash: not in the $argon2id$v=N$m=N,t=N,p=N$salt$hash format")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return nil, fmt.Errorf("password hash: version %q, want v=%d", parts[2], argon2.Version)
	}
	var h decoded
	var threads uint32
	if n, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &h.memory, &h.time, &threads); err != nil || n != 3 ||
		fmt.Sprintf("m=%d,t=%d,p=%d", h.memory, h.time, threads) != parts[3] {
		return nil, fmt.Errorf("password hash: parameters %q, want m=N,t=N,p=N", parts[3])
	}
	if h.memory < 8 || h.memory > maxMemory || h.time < 1 || h.time > maxTime || threads < 1 || threads > 255 {
		return nil, fmt.Errorf("password hash: parameters %q out of range", parts[3])
	}
	h.threads = uint8(threads)
	var err error
	if h.salt, err = base64.RawStdEncoding.DecodeString(parts[4]); err != nil || len(h.salt) < 8 {
		return nil, errors.New("password hash: salt is not base64 of at least 8 bytes")
	}
	if h.key, err = base64.RawStdEncoding.DecodeString(parts[5]); err != nil || len(h.key) < 16 || len(h.key) > 64 {
		return nil, errors.New("password hash: hash is not base64 of 16 to 64 bytes")
	}
	return &h, nil
}

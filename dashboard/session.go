package dashboard

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rapportdev/rapport"
)

// sessionTTL is how long a sign-in lasts.
const sessionTTL = 12 * time.Hour

// session is a signed-in visitor: the admin token they signed in with
// (by key id, never the secret) or their user id, until when, and a
// random nonce that makes each sign-in's cookie and CSRF token unique.
type session struct {
	// KeyID is the admin token's key id ("k_…") or the user's id ("u_…").
	KeyID string
	// Epoch is the user's rapport.User.SessionEpoch when the session
	// opened (0 for admin tokens): a password change moves it on.
	Epoch   int64
	Expires time.Time
	Nonce   string
	// payload is the signed text; the CSRF token is derived from it.
	payload string
}

// sessions signs and reads session cookies. Nothing about a session is
// stored on the server but the nonces of sessions signed out before they
// expired, so a copied cookie stops working at sign-out too.
type sessions struct {
	key   []byte
	clock rapport.Clock

	mu    sync.Mutex
	ended map[string]time.Time // nonce → expiry
}

func newSessions(key []byte, clock rapport.Clock) *sessions {
	return &sessions{key: key, clock: clock, ended: map[string]time.Time{}}
}

// open starts a session for the key or user, in the user's session
// epoch, and returns its cookie value.
func (ss *sessions) open(keyID string, epoch int64) (*session, string) {
	s := &session{KeyID: keyID, Epoch: epoch, Expires: ss.clock.Now().Add(sessionTTL).Truncate(time.Second), Nonce: nonce()}
	s.payload = strings.Join([]string{"v2", s.KeyID, strconv.FormatInt(s.Expires.Unix(), 10), s.Nonce,
		strconv.FormatInt(s.Epoch, 10)}, "|")
	return s, b64([]byte(s.payload)) + "." + b64(ss.mac("session", s.payload))
}

// read returns the session of a cookie value, or false when it is not
// signed by this process, malformed, expired or signed out.
func (ss *sessions) read(value string) (*session, bool) {
	enc, sig, ok := strings.Cut(value, ".")
	payload, err1 := base64.RawURLEncoding.DecodeString(enc)
	mac, err2 := base64.RawURLEncoding.DecodeString(sig)
	if !ok || err1 != nil || err2 != nil || !hmac.Equal(mac, ss.mac("session", string(payload))) {
		return nil, false
	}
	// v1 cookies, from before sessions carried an epoch, sign in again.
	parts := strings.Split(string(payload), "|")
	if len(parts) != 5 || parts[0] != "v2" {
		return nil, false
	}
	exp, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil {
		return nil, false
	}
	epoch, err := strconv.ParseInt(parts[4], 10, 64)
	if err != nil {
		return nil, false
	}
	s := &session{KeyID: parts[1], Epoch: epoch, Expires: time.Unix(exp, 0).UTC(), Nonce: parts[3], payload: string(payload)}
	if !ss.clock.Now().Before(s.Expires) || ss.isEnded(s.Nonce) {
		return nil, false
	}
	return s, true
}

// csrf returns the session's CSRF token: a MAC of the session, so it is
// worthless without the cookie and changes with every sign-in.
func (ss *sessions) csrf(s *session) string {
	return b64(ss.mac("csrf", s.payload))
}

// checkCSRF reports whether token is the session's CSRF token.
func (ss *sessions) checkCSRF(s *session, token string) bool {
	got, err := base64.RawURLEncoding.DecodeString(token)
	return err == nil && hmac.Equal(got, ss.mac("csrf", s.payload))
}

// end signs a session out until it would have expired.
func (ss *sessions) end(s *session) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	now := ss.clock.Now()
	for n, exp := range ss.ended {
		if !now.Before(exp) {
			delete(ss.ended, n)
		}
	}
	ss.ended[s.Nonce] = s.Expires
}

func (ss *sessions) isEnded(nonce string) bool {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	_, ok := ss.ended[nonce]
	return ok
}

// mac is the HMAC-SHA256 of purpose and text under the session key; the
// purpose keeps a MAC made for one use from passing as another.
func (ss *sessions) mac(purpose, text string) []byte {
	m := hmac.New(sha256.New, ss.key)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(text))
	return m.Sum(nil)
}

// nonce returns 16 random bytes in hex.
func nonce() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand never fails on supported platforms
	return hex.EncodeToString(b[:])
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

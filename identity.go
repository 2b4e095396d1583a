package rapport

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// IdentityKind says what an identity value is.
type IdentityKind string

// The identity kinds Rapport resolves.
const (
	IdentityUserID      IdentityKind = "user_id"
	IdentityAnonymousID IdentityKind = "anonymous_id"
	IdentityEmail       IdentityKind = "email"
	IdentityPhone       IdentityKind = "phone"
	// IdentityGroupID identifies an account profile (a company, a household).
	IdentityGroupID IdentityKind = "group_id"
)

// Valid reports whether k is a known identity kind.
func (k IdentityKind) Valid() bool {
	switch k {
	case IdentityUserID, IdentityAnonymousID, IdentityEmail, IdentityPhone, IdentityGroupID:
		return true
	}
	return false
}

// Identity is one handle by which a profile is known.
type Identity struct {
	Kind  IdentityKind `json:"kind"`
	Value string       `json:"value"`
}

// String returns "kind:value".
func (id Identity) String() string { return string(id.Kind) + ":" + id.Value }

// DefaultPhoneRegion is the region assumed for phone numbers written
// without a country code. Set it once at start-up.
var DefaultPhoneRegion = "US"

// NormalizeEmail lower-cases and trims an email address. It returns "" for
// a value that is not an email address.
func NormalizeEmail(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 || strings.ContainsAny(s, " \t\r\n") {
		return ""
	}
	return s
}

// NormalizePhone returns the phone number in E.164 form, or "" when it
// cannot be read as a possible number. Numbers without a country code are
// read in DefaultPhoneRegion.
func NormalizePhone(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	num, err := phonenumbers.Parse(s, DefaultPhoneRegion)
	if err != nil || !phonenumbers.IsPossibleNumber(num) {
		return ""
	}
	return phonenumbers.Format(num, phonenumbers.E164)
}

// NewIdentity returns the normalised identity of the given kind, and false
// when the value is empty or cannot be normalised.
func NewIdentity(kind IdentityKind, value string) (Identity, bool) {
	switch kind {
	case IdentityEmail:
		value = NormalizeEmail(value)
	case IdentityPhone:
		value = NormalizePhone(value)
	default:
		value = strings.TrimSpace(value)
	}
	return Identity{Kind: kind, Value: value}, value != ""
}

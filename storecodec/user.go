package storecodec

import (
	"github.com/rapportdev/rapport"
)

// PrepareUser normalises the email and fills in a missing UpdatedAt, then
// validates the user.
func PrepareUser(u *rapport.User) error {
	if u == nil {
		return rapport.Errorf(rapport.EINVALID, "user: missing")
	}
	if e := rapport.NormalizeEmail(u.Email); e != "" {
		u.Email = e // else Validate says what is wrong with it
	}
	if u.UpdatedAt.IsZero() {
		u.UpdatedAt = u.CreatedAt
	}
	if u.CreatedAt.IsZero() {
		return rapport.Errorf(rapport.EINVALID, "user %s: createdAt: required", u.ID)
	}
	return u.Validate()
}

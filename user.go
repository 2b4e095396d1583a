package rapport

import (
	"context"
	"net/mail"
	"strings"
	"time"
)

// User is a person who signs in to the dashboard with an email address
// and a password, instead of holding an admin token. Only a slow, salted
// hash of the password is kept (package password).
type User struct {
	ID string `json:"id"`
	// Email is how the user signs in, stored as NormalizeEmail writes it.
	Email        string    `json:"email"`
	Name         string    `json:"name,omitempty"`
	PasswordHash string    `json:"-"`
	CreatedAt    time.Time `json:"createdAt"`
	UpdatedAt    time.Time `json:"updatedAt"`
	// SessionEpoch counts the password's changes. A dashboard session
	// carries the epoch it was opened in and ends when it moves on, so a
	// change signs out every session opened before it, whatever the
	// clocks say.
	SessionEpoch int64 `json:"-"`
}

// Validate returns an EINVALID error naming the first field that is
// wrong.
func (u *User) Validate() error {
	switch {
	case u.ID == "":
		return Errorf(EINVALID, "user: id: required")
	case u.Email == "" || len(u.Email) > 254:
		return Errorf(EINVALID, "user %s: email: required, at most 254 characters", u.ID)
	case u.Email != strings.ToLower(strings.TrimSpace(u.Email)):
		return Errorf(EINVALID, "user %s: email %q: must be trimmed and in lower case", u.ID, u.Email)
	case len(u.Name) > 200:
		return Errorf(EINVALID, "user %s: name: at most 200 characters", u.ID)
	case u.PasswordHash == "":
		return Errorf(EINVALID, "user %s: password hash: required", u.ID)
	}
	if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email {
		return Errorf(EINVALID, "user %s: email %q: not an address such as name@example.com", u.ID, u.Email)
	}
	return nil
}

// UserStore keeps the dashboard's user accounts.
type UserStore interface {
	// CreateUser stores u; EINVALID when it fails Validate, ECONFLICT when
	// its id or email is taken.
	CreateUser(ctx context.Context, u *User) error
	// FindUser returns the user or ENOTFOUND.
	FindUser(ctx context.Context, id string) (*User, error)
	// FindUserByEmail returns the user with the (normalised) address or
	// ENOTFOUND.
	FindUserByEmail(ctx context.Context, email string) (*User, error)
	// FindUsers returns every user, by email.
	FindUsers(ctx context.Context) ([]*User, error)
	// SetUserPassword replaces the user's password hash and moves their
	// SessionEpoch on by one; ENOTFOUND when unknown.
	SetUserPassword(ctx context.Context, id, hash string, at time.Time) error
	// DeleteUser removes the user; ENOTFOUND when unknown.
	DeleteUser(ctx context.Context, id string) error
}

package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
)

const userColumns = `id, email, name, password_hash, created_at, updated_at, session_epoch`

// CreateUser stores u; ECONFLICT when its id or email is taken.
func (s *Store) CreateUser(ctx context.Context, u *rapport.User) error {
	if err := storecodec.PrepareUser(u); err != nil {
		return err
	}
	res, err := s.write.ExecContext(ctx, `INSERT INTO users (`+userColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, u.ID, u.Email, u.Name, u.PasswordHash, storecodec.Nanos(u.CreatedAt), storecodec.Nanos(u.UpdatedAt),
		u.SessionEpoch)
	if err != nil {
		return fmt.Errorf("create user %s: %w", u.Email, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("create user %s: %w", u.Email, err)
	} else if n == 0 {
		return rapport.Errorf(rapport.ECONFLICT, "a user with the email %s (or the id %s) exists already", u.Email, u.ID)
	}
	return nil
}

// FindUser returns the user or ENOTFOUND.
func (s *Store) FindUser(ctx context.Context, id string) (*rapport.User, error) {
	return s.findUser(ctx, `id = ?`, id)
}

// FindUserByEmail returns the user with the address or ENOTFOUND.
func (s *Store) FindUserByEmail(ctx context.Context, email string) (*rapport.User, error) {
	return s.findUser(ctx, `email = ?`, rapport.NormalizeEmail(email))
}

func (s *Store) findUser(ctx context.Context, where, arg string) (*rapport.User, error) {
	u, err := scanUser(s.read.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "no user %s", arg)
	} else if err != nil {
		return nil, fmt.Errorf("find user %s: %w", arg, err)
	}
	return u, nil
}

// FindUsers returns every user, by email.
func (s *Store) FindUsers(ctx context.Context) ([]*rapport.User, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY email`)
	if err != nil {
		return nil, fmt.Errorf("find users: %w", err)
	}
	defer rows.Close()
	users := []*rapport.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("find users: %w", err)
		}
		users = append(users, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find users: %w", err)
	}
	return users, nil
}

// SetUserPassword replaces the user's password hash and moves its
// session epoch on, which ends the sessions opened before.
func (s *Store) SetUserPassword(ctx context.Context, id, hash string, at time.Time) error {
	if hash == "" {
		return rapport.Errorf(rapport.EINVALID, "user %s: password hash: required", id)
	}
	res, err := s.write.ExecContext(ctx, `UPDATE users SET password_hash = ?, updated_at = ?, session_epoch = session_epoch + 1 WHERE id = ?`,
		hash, storecodec.Nanos(at), id)
	return userChanged(res, err, "set the password of user "+id, id)
}

// DeleteUser removes the user.
func (s *Store) DeleteUser(ctx context.Context, id string) error {
	res, err := s.write.ExecContext(ctx, `DELETE FROM users WHERE id = ?`, id)
	return userChanged(res, err, "delete user "+id, id)
}

// userChanged turns the result of a statement on one user into its error.
func userChanged(res sql.Result, err error, what, id string) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	} else if n == 0 {
		return rapport.Errorf(rapport.ENOTFOUND, "no user %s", id)
	}
	return nil
}

func scanUser(row interface{ Scan(...any) error }) (*rapport.User, error) {
	var u rapport.User
	var created, updated int64
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash, &created, &updated, &u.SessionEpoch); err != nil {
		return nil, err
	}
	u.CreatedAt, u.UpdatedAt = storecodec.FromNanos(&created), storecodec.FromNanos(&updated)
	return &u, nil
}

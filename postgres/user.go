package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
)

const userColumns = `id, email, name, password_hash, created_at, updated_at, session_epoch`

// CreateUser stores u; ECONFLICT when its id or email is taken.
func (s *Store) CreateUser(ctx context.Context, u *rapport.User) error {
	if err := storecodec.PrepareUser(u); err != nil {
		return err
	}
	tag, err := s.pool.Exec(ctx, `INSERT INTO users (`+userColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT DO NOTHING`, text(u.ID), text(u.Email), text(u.Name), text(u.PasswordHash),
		storecodec.Nanos(u.CreatedAt), storecodec.Nanos(u.UpdatedAt), u.SessionEpoch)
	if err != nil {
		return fmt.Errorf("create user %s: %w", u.Email, err)
	}
	if tag.RowsAffected() == 0 {
		return rapport.Errorf(rapport.ECONFLICT, "a user with the email %s (or the id %s) exists already", u.Email, u.ID)
	}
	return nil
}

// FindUser returns the user or ENOTFOUND.
func (s *Store) FindUser(ctx context.Context, id string) (*rapport.User, error) {
	return s.findUser(ctx, `id = $1`, id)
}

// FindUserByEmail returns the user with the address or ENOTFOUND.
func (s *Store) FindUserByEmail(ctx context.Context, email string) (*rapport.User, error) {
	return s.findUser(ctx, `email = $1`, rapport.NormalizeEmail(email))
}

func (s *Store) findUser(ctx context.Context, where, arg string) (*rapport.User, error) {
	u, err := scanUser(s.pool.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE `+where, text(arg)))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "no user %s", arg)
	} else if err != nil {
		return nil, fmt.Errorf("find user %s: %w", arg, err)
	}
	return u, nil
}

// FindUsers returns every user, by email.
func (s *Store) FindUsers(ctx context.Context) ([]*rapport.User, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+userColumns+` FROM users ORDER BY email`)
	if err != nil {
		return nil, fmt.Errorf("find users: %w", err)
	}
	users := []*rapport.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			rows.Close()
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
	tag, err := s.pool.Exec(ctx, `UPDATE users SET password_hash = $1, updated_at = $2, session_epoch = session_epoch + 1 WHERE id = $3`,
		text(hash), storecodec.Nanos(at), text(id))
	return userChanged(tag, err, "set the password of user "+id, id)
}

// DeleteUser removes the user.
func (s *Store) DeleteUser(ctx context.Context, id string) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM users WHERE id = $1`, text(id))
	return userChanged(tag, err, "delete user "+id, id)
}

// userChanged turns the result of a statement on one user into its error.
func userChanged(tag pgconn.CommandTag, err error, what, id string) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if tag.RowsAffected() == 0 {
		return rapport.Errorf(rapport.ENOTFOUND, "no user %s", id)
	}
	return nil
}

func scanUser(row pgx.Row) (*rapport.User, error) {
	var u rapport.User
	var created, updated int64
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash, &created, &updated, &u.SessionEpoch); err != nil {
		return nil, err
	}
	u.CreatedAt, u.UpdatedAt = storecodec.FromNanos(&created), storecodec.FromNanos(&updated)
	return &u, nil
}

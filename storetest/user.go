package storetest

import (
	"context"
	"testing"

	"github.com/rapportdev/rapport"
)

func testUsers(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	if users, err := s.FindUsers(ctx); err != nil || len(users) != 0 {
		t.Fatalf("FindUsers of an empty store = %v, %v", users, err)
	}
	ann := &rapport.User{ID: "u_ann", Email: "  Ann@Example.com ", Name: "Ann", PasswordHash: "$argon2id$one", CreatedAt: at(1)}
	if err := s.CreateUser(ctx, ann); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	bob := &rapport.User{ID: "u_bob", Email: "bob@example.com", PasswordHash: "$argon2id$two", CreatedAt: at(2)}
	if err := s.CreateUser(ctx, bob); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	wantCode(t, "same email", s.CreateUser(ctx, &rapport.User{ID: "u_x", Email: "ANN@example.com", PasswordHash: "h", CreatedAt: at(3)}), rapport.ECONFLICT)
	wantCode(t, "same id", s.CreateUser(ctx, &rapport.User{ID: "u_bob", Email: "other@example.com", PasswordHash: "h", CreatedAt: at(3)}), rapport.ECONFLICT)
	for name, u := range map[string]*rapport.User{
		"no email":      {ID: "u_y", PasswordHash: "h", CreatedAt: at(3)},
		"not an email":  {ID: "u_y", Email: "ann at example", PasswordHash: "h", CreatedAt: at(3)},
		"with a name":   {ID: "u_y", Email: "Ann <ann2@example.com>", PasswordHash: "h", CreatedAt: at(3)},
		"no hash":       {ID: "u_y", Email: "y@example.com", CreatedAt: at(3)},
		"no id":         {Email: "y@example.com", PasswordHash: "h", CreatedAt: at(3)},
		"no created at": {ID: "u_y", Email: "y@example.com", PasswordHash: "h"},
	} {
		wantCode(t, name, s.CreateUser(ctx, u), rapport.EINVALID)
	}

	got, err := s.FindUserByEmail(ctx, "ANN@example.COM")
	if err != nil {
		t.Fatalf("FindUserByEmail: %v", err)
	}
	want := rapport.User{ID: "u_ann", Email: "ann@example.com", Name: "Ann", PasswordHash: "$argon2id$one", CreatedAt: at(1), UpdatedAt: at(1)}
	equal(t, "user by email", *got, want)
	if got, err = s.FindUser(ctx, "u_ann"); err != nil {
		t.Fatalf("FindUser: %v", err)
	}
	equal(t, "user by id", *got, want)
	_, err = s.FindUser(ctx, "u_nobody")
	wantCode(t, "FindUser of an unknown id", err, rapport.ENOTFOUND)
	_, err = s.FindUserByEmail(ctx, "nobody@example.com")
	wantCode(t, "FindUserByEmail of an unknown address", err, rapport.ENOTFOUND)

	if err := s.SetUserPassword(ctx, "u_ann", "$argon2id$three", at(5)); err != nil {
		t.Fatalf("SetUserPassword: %v", err)
	}
	wantCode(t, "SetUserPassword of an unknown id", s.SetUserPassword(ctx, "u_nobody", "h", at(5)), rapport.ENOTFOUND)
	wantCode(t, "SetUserPassword without a hash", s.SetUserPassword(ctx, "u_ann", "", at(5)), rapport.EINVALID)
	users, err := s.FindUsers(ctx)
	if err != nil || len(users) != 2 {
		t.Fatalf("FindUsers = %v, %v", users, err)
	}
	if users[0].ID != "u_ann" || users[0].PasswordHash != "$argon2id$three" || !users[0].UpdatedAt.Equal(at(5)) ||
		users[0].SessionEpoch != 1 || users[1].ID != "u_bob" || users[1].SessionEpoch != 0 {
		t.Errorf("FindUsers = %+v, %+v: want ann (new password, updated at 5, session epoch 1) then bob (epoch 0)", *users[0], *users[1])
	}
	// A password set again, even at the same instant, moves the epoch on.
	if err := s.SetUserPassword(ctx, "u_ann", "$argon2id$four", at(5)); err != nil {
		t.Fatal(err)
	}
	if got, err := s.FindUser(ctx, "u_ann"); err != nil || got.SessionEpoch != 2 {
		t.Errorf("after a second change at the same time: %+v, %v; want session epoch 2", got, err)
	}
	if err := s.DeleteUser(ctx, "u_bob"); err != nil {
		t.Fatalf("DeleteUser: %v", err)
	}
	wantCode(t, "DeleteUser twice", s.DeleteUser(ctx, "u_bob"), rapport.ENOTFOUND)
	_, err = s.FindUserByEmail(ctx, "bob@example.com")
	wantCode(t, "a deleted user", err, rapport.ENOTFOUND)
}

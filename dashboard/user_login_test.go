package dashboard_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/password"
)

// addUser stores a user account with the password.
func addUser(t *testing.T, f *fixture, id, email, pw string) {
	t.Helper()
	hash, err := password.Hash(pw)
	if err != nil {
		t.Fatal(err)
	}
	now := f.clock.Now()
	if err := f.store.CreateUser(context.Background(), &rapport.User{ID: id, Email: email, Name: "Marketing",
		PasswordHash: hash, CreatedAt: now, UpdatedAt: now}); err != nil {
		t.Fatalf("create user: %v", err)
	}
}

func TestSignInWithUserAccount(t *testing.T) {
	f := newFixture(t)
	addUser(t, f, "u_mia", "mia@example.com", "a long enough passphrase")
	for _, tc := range []struct {
		name, email, pw string
	}{
		{"wrong password", "mia@example.com", "a long enough passphrasE"},
		{"unknown email", "nobody@example.com", "a long enough passphrase"},
		{"empty password", "mia@example.com", ""},
		{"not an email", "mia", "a long enough passphrase"},
	} {
		c := f.client(t)
		r := c.post(t, "/login", url.Values{"email": {tc.email}, "password": {tc.pw}})
		// One answer for every refusal, so it does not tell which
		// addresses have accounts; the address is kept in the form.
		expect(t, tc.name, r, http.StatusUnauthorized,
			[]string{"That email and password do not match an account.", `value="` + tc.email + `"`}, nil)
		if c.signedIn() {
			t.Errorf("%s: a session cookie was set", tc.name)
		}
	}

	c := f.client(t)
	r := c.post(t, "/login", url.Values{"email": {"  MIA@example.com "}, "password": {"a long enough passphrase"},
		"next": {"/segments"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/segments" {
		t.Fatalf("sign in: %d to %q, want 303 to /segments\n%s", r.status, r.header.Get("Location"), r.body)
	}
	if sessionCookie(t, r).Value == "" {
		t.Fatal("empty session cookie")
	}
	expect(t, "leads as a user", c.get(t, "/leads"), http.StatusOK, []string{"Ranked leads", "Sign out"}, nil)

	// A password change signs out the sessions opened before it, and a
	// removed user is signed out: seen by a dashboard that has not cached
	// the accounts (one process caches them for 10 seconds).
	ctx := context.Background()
	// At the very instant of the sign-in: the epoch, not a time, decides.
	if err := f.store.SetUserPassword(ctx, "u_mia", mustHash(t, "another long passphrase"), f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	// Cookies do not depend on the port, so a client of another dashboard
	// on the same host with the same jar carries the same session.
	same := func(g *fixture, of *client) *client {
		cc := g.client(t)
		cc.hc.Jar = of.hc.Jar
		return cc
	}
	fresh := newDashboardOver(t, f)
	if r := same(fresh, c).get(t, "/leads"); r.status != http.StatusSeeOther {
		t.Errorf("a session opened before the password change: %d, want 303 to sign in", r.status)
	}
	c2 := fresh.client(t)
	if r := c2.post(t, "/login", url.Values{"email": {"mia@example.com"}, "password": {"another long passphrase"}}); r.status != http.StatusSeeOther {
		t.Fatalf("sign in with the new password: %d\n%s", r.status, r.body)
	}
	expect(t, "after the change", c2.get(t, "/leads"), http.StatusOK, []string{"Ranked leads"}, nil)
	if err := f.store.DeleteUser(ctx, "u_mia"); err != nil {
		t.Fatal(err)
	}
	if r := same(newDashboardOver(t, f), c2).get(t, "/leads"); r.status != http.StatusSeeOther {
		t.Errorf("a removed user's session: %d, want 303 to sign in", r.status)
	}
}

func mustHash(t *testing.T, pw string) string {
	t.Helper()
	h, err := password.Hash(pw)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestSignInThrottled(t *testing.T) {
	f := newFixture(t)
	addUser(t, f, "u_mia", "mia@example.com", "a long enough passphrase")
	c := f.client(t)
	for i := range 6 {
		r := c.post(t, "/login", url.Values{"email": {"mia@example.com"}, "password": {"guess number " + string(rune('a'+i))}})
		expect(t, "a wrong guess", r, http.StatusUnauthorized, []string{"do not match an account"}, nil)
	}
	// Past the five free failures even the right password waits, and an
	// unknown address would be answered the same way: the answer does
	// not tell which addresses have accounts.
	r := c.post(t, "/login", url.Values{"email": {"mia@example.com"}, "password": {"a long enough passphrase"}})
	expect(t, "throttled", r, http.StatusTooManyRequests, []string{"Too many failed sign-ins", "try again in "}, nil)
	if c.signedIn() {
		t.Error("a throttled sign-in opened a session")
	}
	// Someone else from the same network is not locked out.
	addUser(t, f, "u_bob", "bob@example.com", "bob's long passphrase")
	if r := f.client(t).post(t, "/login", url.Values{"email": {"bob@example.com"}, "password": {"bob's long passphrase"}}); r.status != http.StatusSeeOther {
		t.Errorf("another address from the same network: %d, want 303", r.status)
	}
}

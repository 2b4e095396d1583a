package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// rapportCmd runs the built binary with stdin and returns its output and
// error.
func rapportCmd(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(rapportBinary(t), args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// TestUsersCommandAndSignIn manages an account with `rapport users` and
// signs in with it to the dashboard of a served store.
func TestUsersCommandAndSignIn(t *testing.T) {
	dir := t.TempDir()
	data := "--data=" + dir
	for _, tc := range []struct {
		name, stdin string
		args        []string
		want        string
	}{
		{"short password", "short\n", []string{"users", "add", data, "--email", "mia@example.com", "--password-stdin"},
			"password: 5 characters, want at least 12"},
		{"no email", "a long enough passphrase\n", []string{"users", "add", data, "--password-stdin"}, "--email is required"},
		{"not an email", "a long enough passphrase\n", []string{"users", "add", data, "--email", "mia", "--password-stdin"},
			`email "mia": not an address`},
		{"no terminal", "", []string{"users", "add", data, "--email", "mia@example.com"}, "--password-stdin"},
		{"unknown subcommand", "", []string{"users", "invite", data}, `unknown subcommand "invite"`},
	} {
		out, err := rapportCmd(t, tc.stdin, tc.args...)
		if err == nil || !strings.Contains(out, tc.want) {
			t.Errorf("%s: err %v, output %q; want a failure saying %q", tc.name, err, out, tc.want)
		}
	}
	if out, err := rapportCmd(t, "a long enough passphrase\n", "users", "add", data, "--email", "Mia@Example.com",
		"--name", "Mia", "--password-stdin"); err != nil || !strings.Contains(out, "email: mia@example.com") {
		t.Fatalf("users add: %v\n%s", err, out)
	}
	if out, err := rapportCmd(t, "another passphrase!\n", "users", "add", data, "--email", "mia@example.com", "--password-stdin"); err == nil ||
		!strings.Contains(out, "exists already") {
		t.Errorf("adding the same email again: %v\n%s", err, out)
	}
	if out, err := rapportCmd(t, "", "users", "list", data); err != nil || !strings.Contains(out, "mia@example.com") || !strings.Contains(out, "Mia") {
		t.Errorf("users list: %v\n%s", err, out)
	}
	if out, err := rapportCmd(t, "the new passphrase\n", "users", "password", data, "--email", "mia@example.com", "--password-stdin"); err != nil {
		t.Fatalf("users password: %v\n%s", err, out)
	}

	srv := startServer(t, data)
	signIn := func(pw string) int {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.Get(srv.URL + "/login")
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(page)
		if m == nil {
			t.Fatalf("no CSRF token on the sign-in page:\n%s", page)
		}
		resp, err = c.PostForm(srv.URL+"/login", url.Values{"csrf": {string(m[1])}, "email": {"mia@example.com"}, "password": {pw}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := signIn("a long enough passphrase"); got != http.StatusUnauthorized {
		t.Errorf("sign in with the old password: %d, want 401", got)
	}
	if got := signIn("the new passphrase"); got != http.StatusSeeOther {
		t.Errorf("sign in with the new password: %d, want 303\n%s", got, srv.Logs())
	}
	srv.stop(t)
	if out, err := rapportCmd(t, "", "users", "remove", data, "--email", "mia@example.com"); err != nil {
		t.Fatalf("users remove: %v\n%s", err, out)
	}
	if out, err := rapportCmd(t, "", "users", "remove", data, "--email", "mia@example.com"); err == nil || !strings.Contains(out, "no user") {
		t.Errorf("removing twice: %v\n%s", err, out)
	}
}

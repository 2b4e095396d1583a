package dashboard_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"
)

func TestSettingsManageUsers(t *testing.T) {
	f := newFixture(t)
	admin := f.signedIn(t)
	expect(t, "no users", admin.get(t, "/settings"), http.StatusOK,
		[]string{`<a href="#users">People</a>`, "No accounts yet", `action="/settings/users"`}, []string{"Your password"})

	for _, tc := range []struct {
		name string
		form url.Values
		want string
	}{
		{"not an email", url.Values{"email": {"mia"}, "password": {"a long enough passphrase"}}, `Email &#34;mia&#34;: not an address`},
		{"short password", url.Values{"email": {"mia@example.com"}, "password": {"short"}}, "Password: 5 characters, want at least 12."},
		{"long name", url.Values{"email": {"mia@example.com"}, "name": {string(make([]byte, 201))}, "password": {"a long enough passphrase"}}, "Name: at most 200 characters."},
	} {
		r := admin.post(t, "/settings/users", tc.form)
		expect(t, tc.name, r, http.StatusBadRequest,
			[]string{tc.want, `aria-describedby="user-error"`}, nil)
	}
	add := url.Values{"email": {"Mia@Example.com"}, "name": {"Mia"}, "password": {"a long enough passphrase"}}
	expect(t, "add", admin.post(t, "/settings/users", add), http.StatusOK,
		[]string{"mia@example.com can sign in now", "<th scope=\"row\">mia@example.com</th>", "<td>Mia</td>", "Remove <span"}, nil)
	expect(t, "add twice", admin.post(t, "/settings/users", add), http.StatusBadRequest, []string{"exists already"}, nil)

	mia := f.client(t)
	if r := mia.post(t, "/login", url.Values{"email": {"mia@example.com"}, "password": {"a long enough passphrase"}}); r.status != http.StatusSeeOther {
		t.Fatalf("sign in as mia: %d\n%s", r.status, r.body)
	}
	page := mia.get(t, "/settings")
	expect(t, "settings as mia", page, http.StatusOK, []string{`<span class="muted">you</span>`, "Your password"}, nil)
	miaID := regexp.MustCompile(`/settings/users/(u_[0-9a-f]+)/delete`).FindStringSubmatch(admin.get(t, "/settings").body)
	if miaID == nil {
		t.Fatal("no remove button for mia on the admin's settings")
	}
	expect(t, "removing oneself", mia.post(t, "/settings/users/"+miaID[1]+"/delete", nil), http.StatusConflict,
		[]string{"cannot remove the account you are signed in with"}, nil)

	expect(t, "wrong current password", mia.post(t, "/settings/password", url.Values{"current": {"not it at all!"}, "new": {"the next passphrase"}}),
		http.StatusBadRequest, []string{"Your current password is not that."}, nil)
	expect(t, "short new password", mia.post(t, "/settings/password", url.Values{"current": {"a long enough passphrase"}, "new": {"short"}}),
		http.StatusBadRequest, []string{"Password: 5 characters"}, nil)
	// Mia signed in on a second browser too, in the same second.
	other := f.client(t)
	if r := other.post(t, "/login", url.Values{"email": {"mia@example.com"}, "password": {"a long enough passphrase"}}); r.status != http.StatusSeeOther {
		t.Fatalf("second sign-in as mia: %d", r.status)
	}
	copied := f.client(t)
	copied.hc.Jar.SetCookies(copied.url, mia.hc.Jar.Cookies(mia.url))
	r := mia.post(t, "/settings/password", url.Values{"current": {"a long enough passphrase"}, "new": {"the next passphrase"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/settings?notice=password-changed#password" {
		t.Fatalf("change password: %d to %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	expect(t, "after the change", mia.get(t, "/settings?notice=password-changed"), http.StatusOK, []string{"Your password was changed."}, nil)
	if r := copied.get(t, "/settings"); r.status != http.StatusSeeOther {
		t.Errorf("a copy of the session from before the change: %d, want 303 to sign in", r.status)
	}
	if r := other.get(t, "/settings"); r.status != http.StatusSeeOther {
		t.Errorf("mia's other session, opened in the same second before the change: %d, want 303 to sign in", r.status)
	}
	if r := f.client(t).post(t, "/login", url.Values{"email": {"mia@example.com"}, "password": {"the next passphrase"}}); r.status != http.StatusSeeOther {
		t.Errorf("sign in with the changed password: %d", r.status)
	}

	for _, path := range []string{"/settings/users", "/settings/users/" + miaID[1] + "/delete", "/settings/password"} {
		r := admin.do(t, http.MethodPost, path, url.Values{"email": {"x@example.com"}, "password": {"a long enough passphrase"}})
		expect(t, "no CSRF token on "+path, r, http.StatusForbidden, []string{"security token is missing or wrong"}, nil)
	}
	expect(t, "admin token has no password", admin.post(t, "/settings/password", url.Values{"current": {"x"}, "new": {"a long enough passphrase"}}),
		http.StatusBadRequest, []string{"signed in with an admin token"}, nil)

	r = admin.post(t, "/settings/users/"+miaID[1]+"/delete", nil)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/settings?notice=user-removed#users" {
		t.Fatalf("remove mia: %d to %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	expect(t, "after removal", admin.get(t, "/settings?notice=user-removed"), http.StatusOK,
		[]string{"The user was removed", "No accounts yet"}, nil)
	if r := mia.get(t, "/settings"); r.status != http.StatusSeeOther {
		t.Errorf("a removed user's session: %d, want 303 to sign in", r.status)
	}
	expect(t, "removing an unknown user", admin.post(t, "/settings/users/u_nobody/delete", nil), http.StatusNotFound, nil, nil)
}

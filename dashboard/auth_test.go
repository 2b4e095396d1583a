package dashboard_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestSignInRequired(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	for _, tc := range []struct {
		method, path, wantLocation string
	}{
		{"GET", "/leads", "/login?next=%2Fleads"},
		{"GET", "/leads?grade=A", "/login?next=%2Fleads%3Fgrade%3DA"},
		{"GET", "/profiles/p_ann", "/login?next=%2Fprofiles%2Fp_ann"},
		{"GET", "/settings", "/login?next=%2Fsettings"},
		{"GET", "/settings/webhooks/wh_x", "/login?next=%2Fsettings%2Fwebhooks%2Fwh_x"},
		{"POST", "/settings/keys", "/login"},
		{"POST", "/settings/scoring", "/login"},
		{"POST", "/logout", "/login"},
	} {
		r := c.do(t, tc.method, tc.path, url.Values{"name": {"x"}})
		if r.status != http.StatusSeeOther || r.header.Get("Location") != tc.wantLocation {
			t.Errorf("%s %s: %d to %q, want 303 to %q", tc.method, tc.path, r.status, r.header.Get("Location"), tc.wantLocation)
		}
	}
	if r := c.get(t, "/"); r.header.Get("Location") != "/leads" {
		t.Errorf("GET /: to %q, want /leads", r.header.Get("Location"))
	}
}

func TestSignIn(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		name   string
		form   url.Values
		status int
		want   string
	}{
		{"bad token", url.Values{"token": {"at_wrong"}}, http.StatusUnauthorized, "That is not a valid admin token."},
		{"empty token", url.Values{"token": {""}}, http.StatusUnauthorized, "That is not a valid admin token."},
		{"write key is no admin token", url.Values{"token": {testWriteKey}}, http.StatusUnauthorized, "That is not a valid admin token."},
		{"no login CSRF token", url.Values{"token": {testAdminToken}, "csrf": {""}}, http.StatusUnauthorized, "The sign-in form expired"},
		{"wrong login CSRF token", url.Values{"token": {testAdminToken}, "csrf": {"AAAA"}}, http.StatusUnauthorized, "The sign-in form expired"},
	} {
		c := f.client(t)
		r := c.post(t, "/login", tc.form)
		expect(t, tc.name, r, tc.status, []string{tc.want, `name="token"`}, nil)
		if c.signedIn() {
			t.Errorf("%s: a session cookie was set", tc.name)
		}
	}

	c := f.client(t)
	form := url.Values{"token": {testAdminToken}, "next": {"/profiles/p_ann"}}
	r := c.post(t, "/login", form)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/profiles/p_ann" {
		t.Fatalf("sign in: %d to %q, want 303 to /profiles/p_ann", r.status, r.header.Get("Location"))
	}
	cookie := sessionCookie(t, r)
	if !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode || cookie.Path != "/" || cookie.MaxAge <= 0 {
		t.Errorf("session cookie %+v: want HttpOnly, SameSite=Strict, Path=/, a max age", cookie)
	}
	if strings.Contains(cookie.Value, testAdminToken) {
		t.Errorf("the session cookie holds the admin token")
	}
	expect(t, "leads after sign-in", c.get(t, "/leads"), http.StatusOK, []string{"Ranked leads", "Sign out"}, nil)
}

func sessionCookie(t *testing.T, r response) *http.Cookie {
	t.Helper()
	for _, line := range r.header.Values("Set-Cookie") {
		ck, err := http.ParseSetCookie(line)
		if err == nil && ck.Name == "rapport_session" {
			return ck
		}
	}
	t.Fatalf("no session cookie in %v", r.header.Values("Set-Cookie"))
	return nil
}

func TestSignInRedirectStaysOnSite(t *testing.T) {
	f := newFixture(t)
	for _, next := range []string{"https://evil.example/", "//evil.example/", `/\evil.example`, "javascript:alert(1)", "/login"} {
		c := f.client(t)
		r := c.post(t, "/login", url.Values{"token": {testAdminToken}, "next": {next}})
		if got := r.header.Get("Location"); got != "/leads" {
			t.Errorf("next=%q: redirected to %q, want /leads", next, got)
		}
	}
}

func TestCSRF(t *testing.T) {
	f := newFixture(t)
	c := f.signedIn(t)
	other := f.signedIn(t)
	for _, tc := range []struct {
		name string
		csrf []string
	}{
		{"missing", nil},
		{"empty", []string{""}},
		{"wrong", []string{"bm90LXRoZS10b2tlbg"}},
		{"not base64", []string{"%%%"}},
		{"another session's", []string{other.csrf(t)}},
	} {
		for _, path := range []string{"/settings/keys", "/settings/webhooks", "/settings/scoring", "/logout",
			"/settings/keys/" + f.writeKeyID + "/revoke"} {
			form := url.Values{"name": {"sneaky"}, "url": {"https://evil.example/"}, "events": {"*"}, "model": {"x: 1"}}
			if tc.csrf != nil {
				form["csrf"] = tc.csrf
			}
			r := c.do(t, http.MethodPost, path, form)
			expect(t, tc.name+" CSRF token on "+path, r, http.StatusForbidden, []string{"security token is missing or wrong"}, nil)
		}
	}
	keys, _ := f.store.FindKeys(context.Background())
	hooks, _ := f.store.FindWebhooks(context.Background())
	if len(keys) != 2 || len(hooks) != 0 {
		t.Errorf("after refused forms: %d keys and %d webhooks, want the 2 seeded and none", len(keys), len(hooks))
	}
	expect(t, "still signed in", c.get(t, "/leads"), http.StatusOK, []string{"Ranked leads"}, nil)
}

func TestSignOut(t *testing.T) {
	f := newFixture(t)
	c := f.signedIn(t)
	var stolen string
	for _, ck := range c.hc.Jar.Cookies(c.url) {
		if ck.Name == "rapport_session" {
			stolen = ck.Value
		}
	}
	r := c.post(t, "/logout", nil)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/login" {
		t.Fatalf("sign out: %d to %q", r.status, r.header.Get("Location"))
	}
	if c.signedIn() {
		t.Errorf("the session cookie was not removed")
	}
	// A copy of the cookie made before signing out no longer works.
	copyCat := f.client(t)
	copyCat.hc.Jar.SetCookies(c.url, []*http.Cookie{{Name: "rapport_session", Value: stolen, Path: "/"}})
	if r := copyCat.get(t, "/leads"); r.status != http.StatusSeeOther {
		t.Errorf("a signed-out session's cookie: status %d, want 303 to the sign-in page", r.status)
	}
}

func TestSessionRefused(t *testing.T) {
	f := newFixture(t)
	c := f.signedIn(t)
	var value string
	for _, ck := range c.hc.Jar.Cookies(c.url) {
		if ck.Name == "rapport_session" {
			value = ck.Value
		}
	}
	payload, sig, _ := strings.Cut(value, ".")
	for _, tc := range []struct{ name, value string }{
		{"garbage", "garbage"},
		{"tampered payload", "A" + payload[1:] + "." + sig},
		{"tampered signature", payload + "." + sig[:len(sig)-2] + "AA"},
		{"no signature", payload},
	} {
		b := f.client(t)
		b.hc.Jar.SetCookies(c.url, []*http.Cookie{{Name: "rapport_session", Value: tc.value, Path: "/"}})
		if r := b.get(t, "/leads"); r.status != http.StatusSeeOther {
			t.Errorf("%s cookie: status %d, want 303 to the sign-in page", tc.name, r.status)
		}
	}
	f.clock.advance(13 * time.Hour)
	if r := c.get(t, "/leads"); r.status != http.StatusSeeOther {
		t.Errorf("expired session: status %d, want 303 to the sign-in page", r.status)
	}
}

func TestRevokedAdminTokenEndsSession(t *testing.T) {
	f := newFixture(t)
	c := f.signedIn(t)
	// A dashboard trusts its list of admin tokens for 10 seconds; a second
	// one over the same store and session key reads the list afresh.
	visit := func() int {
		b := newDashboardOver(t, f).client(t)
		b.hc.Jar.SetCookies(b.url, c.hc.Jar.Cookies(c.url))
		return b.get(t, "/leads").status
	}
	if got := visit(); got != http.StatusOK {
		t.Fatalf("session before revoking: status %d, want 200", got)
	}
	if err := f.store.DeleteKey(context.Background(), f.adminKeyID); err != nil {
		t.Fatal(err)
	}
	if got := visit(); got != http.StatusSeeOther {
		t.Errorf("session of a revoked token: status %d, want 303 to the sign-in page", got)
	}
}

package dashboard_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/scoring"
)

func TestWriteKeys(t *testing.T) {
	f := newFixture(t)
	c := f.signedIn(t)
	for _, tc := range []struct {
		name, keyName string
		status        int
		want          string
	}{
		{"no name", "  ", http.StatusBadRequest, "Give the key a name"},
		{"name too long", strings.Repeat("x", 201), http.StatusBadRequest, "longer than 200 characters"},
		{"hostile name", "<b>web</b>", http.StatusOK, "Write key <strong>&lt;b&gt;web&lt;/b&gt;</strong> was created"},
	} {
		r := c.post(t, "/settings/keys", url.Values{"name": {tc.keyName}})
		expect(t, tc.name, r, tc.status, []string{tc.want}, nil)
	}

	r := c.post(t, "/settings/keys", url.Values{"name": {"website"}})
	m := regexp.MustCompile(`id="new-key-secret" class="mono" readonly value="(wk_[^"]+)"`).FindStringSubmatch(r.body)
	if r.status != http.StatusOK || m == nil {
		t.Fatalf("create key: %d without the secret\n%s", r.status, r.body)
	}
	secret := m[1]
	key := findKey(t, f, "website")
	if key == nil || key.Kind != rapport.KeyWrite || key.Hash != rapport.HashSecret(secret) {
		t.Fatalf("stored key %+v: want a write key whose hash is the shown secret's", key)
	}
	expect(t, "secret shown once", c.get(t, "/settings"), 200, []string{"website", key.ID}, []string{secret})

	r = c.post(t, "/settings/keys/"+key.ID+"/revoke", nil)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/settings?notice=key-revoked#keys" {
		t.Fatalf("revoke: %d to %q", r.status, r.header.Get("Location"))
	}
	if findKey(t, f, "website") != nil {
		t.Errorf("the revoked key is still stored")
	}
	expect(t, "revoked notice", c.get(t, "/settings?notice=key-revoked"), 200, []string{"The write key was revoked"}, nil)
	expect(t, "admin tokens are not revoked here", c.post(t, "/settings/keys/"+f.adminKeyID+"/revoke", nil),
		http.StatusNotFound, []string{"There is no write key"}, nil)
	expect(t, "unknown key", c.post(t, "/settings/keys/k_nope/revoke", nil), http.StatusNotFound, []string{"There is no write key k_nope"}, nil)
	expect(t, "notice text is not taken from the URL", c.get(t, "/settings?notice=%3Cb%3Ehi"), 200, nil, []string{"&lt;b&gt;hi", "<b>hi"})
}

func findKey(t *testing.T, f *fixture, name string) *rapport.Key {
	t.Helper()
	keys, err := f.store.FindKeys(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if k.Name == name {
			return k
		}
	}
	return nil
}

func TestScoringEditor(t *testing.T) {
	f := newFixture(t)
	c := f.signedIn(t)
	b2c, err := scoring.TemplateYAML("b2c")
	if err != nil {
		t.Fatal(err)
	}
	model := string(b2c)
	for _, tc := range []struct {
		name, body string
		want       []string
	}{
		{"invalid value", strings.Replace(model, "half_life:", "half_life: -3d #", 1),
			[]string{"The model was not saved: fix the problems below.", "<code>engagement.half_life</code> (line ", "half_life: -3d #"}},
		{"two problems", strings.Replace(strings.Replace(model, "half_life:", "half_life: -3d #", 1), "points: 100", "points: 400", 1),
			[]string{"<code>engagement.half_life</code>", "<code>fit.rules[0].points</code> (line 15)"}},
		{"unknown field", strings.Replace(model, "weight:", "wieght:", 1), []string{"The model was not saved:", "field wieght not found"}},
		{"not YAML", "fit: [", []string{"The model was not saved:"}},
		{"empty", "", []string{"The model was not saved:", `aria-invalid="true"`}},
	} {
		r := c.post(t, "/settings/scoring", url.Values{"model": {tc.body}})
		expect(t, tc.name, r, http.StatusUnprocessableEntity, append(tc.want, `id="model-version">version 1</strong>`), nil)
	}

	renamed := strings.Replace(strings.ReplaceAll(model, "\n", "\r\n"), "name: B2C", "name: Our shop", 1)
	r := c.post(t, "/settings/scoring", url.Values{"model": {renamed}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/settings?notice=scoring-saved#scoring" {
		t.Fatalf("save model: %d to %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	f.keeper.Wait()
	expect(t, "saved", c.get(t, "/settings?notice=scoring-saved"), 200,
		[]string{"The scoring model was saved.", `id="model-version">version 2</strong> from api`, "name: Our shop",
			"last pass (model version 2)"}, []string{"\r"})
	cur, err := f.store.CurrentModel(context.Background(), rapport.ModelScoring)
	if err != nil || cur.Version != 2 || strings.Contains(string(cur.Body), "\r") {
		t.Errorf("stored model %v, %v: want version 2 with LF line ends", cur, err)
	}
}

func TestWebhooks(t *testing.T) {
	f := newFixture(t)
	c := f.signedIn(t)
	for _, tc := range []struct {
		name string
		form url.Values
		want string
	}{
		{"relative URL", url.Values{"url": {"/hook"}, "events": {"*"}}, "url: must be an absolute http or https URL"},
		{"no events", url.Values{"url": {"https://example.com/h"}, "events": {" , "}}, "events: give at least one notification type"},
		{"short secret", url.Values{"url": {"https://example.com/h"}, "events": {"*"}, "secret": {"short"}}, "secret: must be at least 16 bytes"},
		{"bad consent", url.Values{"url": {"https://example.com/h"}, "events": {"*"}, "requires_consent": {"pigeon"}}, "requiresConsent: must be one of"},
	} {
		expect(t, tc.name, c.post(t, "/settings/webhooks", tc.form), http.StatusBadRequest,
			[]string{tc.want, `value="` + tc.form.Get("url") + `"`}, nil)
	}

	r := c.post(t, "/settings/webhooks", url.Values{"url": {"https://example.com/hook"}, "events": {"rule.sales_ready, rule.hot_lead"},
		"requires_consent": {"email"}})
	expect(t, "created", r, http.StatusOK, []string{"Webhook to <strong>https://example.com/hook</strong> was created",
		`id="new-hook-secret"`, "<code>rule.sales_ready</code>, <code>rule.hot_lead</code>"}, nil)
	hooks, err := f.store.FindWebhooks(context.Background())
	if err != nil || len(hooks) != 1 || hooks[0].RequiresConsent != "email" || !strings.Contains(r.body, hooks[0].Secret) {
		t.Fatalf("stored webhooks %+v, %v: want one, its generated secret shown", hooks, err)
	}
	id := hooks[0].ID

	err = f.store.EnqueueNotifications(context.Background(), []rapport.Notification{
		{Type: "rule.sales_ready", ProfileID: "p_ann", At: testBase}})
	if err != nil {
		t.Fatal(err)
	}
	expect(t, "delivery log", c.get(t, "/settings/webhooks/"+id), 200,
		[]string{"Deliveries to https://example.com/hook", "<code>rule.sales_ready</code>", `href="/profiles/p_ann"`, "unchecked"}, nil)
	expect(t, "delivery log by state", c.get(t, "/settings/webhooks/"+id+"?state=failed"), 200, []string{"No deliveries in state failed"}, nil)
	expect(t, "bad state", c.get(t, "/settings/webhooks/"+id+"?state=lost"), 400, []string{"state: must be pending, delivered or failed"}, nil)

	r = c.post(t, "/settings/webhooks/"+id+"/delete", nil)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/settings?notice=webhook-deleted#webhooks" {
		t.Fatalf("delete: %d to %q", r.status, r.header.Get("Location"))
	}
	expect(t, "deleted", c.get(t, "/settings?notice=webhook-deleted"), 200, []string{"The webhook was deleted", "No webhooks yet."}, nil)
	expect(t, "delete unknown", c.post(t, "/settings/webhooks/"+id+"/delete", nil), 404, []string{"There is no webhook"}, nil)
}

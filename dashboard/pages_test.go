package dashboard_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestPages(t *testing.T) {
	f := newFixture(t)
	c := f.signedIn(t)
	for _, tc := range []struct {
		name   string
		path   string
		status int
		want   []string
		not    []string
	}{
		{name: "leads", path: "/leads", status: 200,
			want: []string{`<a href="/leads" aria-current="page">Leads</a>`, `href="/profiles/p_ann">Ann</a>`,
				"<summary>Explain", `<td>fit</td>`, "3 scored profiles", `id="grade-chart"`, "Showing 1–3 of 3",
				`<a href="/vendors">Vendors</a>`}},
		{name: "leads filtered by grade and stage", path: "/leads?grade=A&grade=B&stage=lead,new_customer&min_engagement=0", status: 200,
			want: []string{`value="A" checked`, `value="lead" checked`, `value="new_customer" checked`, "Clear the filter"}},
		{name: "leads second page", path: "/leads?limit=2&page=2", status: 200,
			want: []string{"Showing 3–3 of 3", `rel="prev"`}, not: []string{`rel="next"`}},
		{name: "leads past the end", path: "/leads?page=9", status: 200, want: []string{"No leads", "go to the first page"}},
		{name: "profile", path: "/profiles/p_ann", status: 200,
			want: []string{"<h1>Ann</h1>", "ann@example.com", "How the score was made", `id="history-chart"`,
				"<td>1 order</td>", "(first scored)", "<code>o-1</code>", "rose-12 (flowers) × 1", "identify ann-1", "Order Completed",
				"No conversion model is trained yet", `rel="next"`, "Product Viewed"},
			not: []string{`rel="prev"`}},
		{name: "profile timeline page 2", path: "/profiles/p_ann?events_page=2", status: 200,
			want: []string{`rel="prev"`, "Product Viewed"}, not: []string{`rel="next"`}},
		{name: "account profile", path: "/profiles/p_acme", status: 200, want: []string{"<h1>Acme</h1>", "account", "No orders."}},
		{name: "unknown profile", path: "/profiles/p_nobody", status: 404, want: []string{"There is no profile p_nobody"}},
		{name: "settings", path: "/settings", status: 200,
			want: []string{`<a href="/settings" aria-current="page">Settings</a>`, "test write", f.writeKeyID,
				`id="model-version">version 1</strong> from template b2c`, "name: B2C", "Rescoring: last pass (test)",
				"No webhooks yet.", "1 stored"},
			not: []string{f.adminKeyID}},
		{name: "unknown page", path: "/nowhere", status: 404, want: []string{"There is no page at /nowhere", "Sign out"}},
		{name: "unknown webhook", path: "/settings/webhooks/wh_none", status: 404, want: []string{"There is no webhook wh_none"}},
	} {
		r := c.get(t, tc.path)
		expect(t, tc.name, r, tc.status, tc.want, tc.not)
		if ct := r.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("%s: Content-Type %q", tc.name, ct)
		}
		if cc := r.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", tc.name, cc)
		}
		if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
			t.Errorf("%s: Content-Security-Policy %q", tc.name, csp)
		}
	}
}

func TestAPIPathsAnswerJSON(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{"/api/v1/nothing", "/v1/nothing"} {
		r := f.client(t).do(t, http.MethodPut, path, nil)
		if r.status != http.StatusNotFound || r.header.Get("Content-Type") != "application/json" ||
			!strings.Contains(r.body, `"code":"not_found"`) {
			t.Errorf("PUT %s: %d %q %s, want a JSON 404", path, r.status, r.header.Get("Content-Type"), r.body)
		}
	}
}

func TestMergedProfileRedirects(t *testing.T) {
	f := newFixture(t)
	c := f.signedIn(t)
	r := c.get(t, "/profiles/p_old")
	if r.status != http.StatusFound || r.header.Get("Location") != "/profiles/p_ann?merged_from=p_old" {
		t.Fatalf("merged profile: %d to %q, want 302 to p_ann", r.status, r.header.Get("Location"))
	}
	expect(t, "survivor", c.get(t, r.header.Get("Location")), 200,
		[]string{"Profile <code>p_old</code> was merged into this one."}, nil)
	expect(t, "no made-up merge", c.get(t, "/profiles/p_ann?merged_from=p_bob"), 200, nil, []string{"was merged into this one"})
}

func TestParamsValidated(t *testing.T) {
	f := newFixture(t)
	c := f.signedIn(t)
	for _, tc := range []struct {
		path string
		want string
	}{
		{"/leads?page=0", "page: must be one whole number from 1 to 1000000"},
		{"/leads?page=-3", "page: must be one whole number from 1 to 1000000"},
		{"/leads?page=abc", "page: must be one whole number from 1 to 1000000"},
		{"/leads?page=1&page=2", "page: must be one whole number from 1 to 1000000"},
		{"/leads?page=99999999999999999999", "page: must be one whole number from 1 to 1000000"},
		{"/leads?limit=0", "limit: must be one whole number from 1 to 200"},
		{"/leads?limit=5000", "limit: must be one whole number from 1 to 200"},
		{"/leads?grade=Z", `grade: &#34;Z&#34; is not one of A, B, C, D`},
		{"/leads?stage=sleeping", `stage: &#34;sleeping&#34; is not one of prospect, lead`},
		{"/leads?min_engagement=101", "min_engagement: must be a number from 0 to 100"},
		{"/leads?min_engagement=lots", "min_engagement: must be a number from 0 to 100"},
		{"/leads?min_engagement=NaN", "min_engagement: must be a number from 0 to 100"},
		{"/profiles/p_ann?events_page=0", "events_page: must be one whole number from 1 to 1000000"},
		{"/settings/webhooks/wh_x?page=x", "page: must be one whole number from 1 to 1000000"},
	} {
		r := c.get(t, tc.path)
		expect(t, tc.path, r, http.StatusBadRequest, []string{tc.want, `role="alert"`}, []string{"<table class=\"leads\">"})
	}
	// The leads form stays on the page, next to its error.
	expect(t, "form kept", c.get(t, "/leads?min_engagement=lots&grade=A"), http.StatusBadRequest,
		[]string{`value="lots"`, `value="A" checked`, `id="filter-error"`}, nil)
}

func TestHostileValuesEscaped(t *testing.T) {
	f := newFixture(t)
	c := f.signedIn(t)
	for _, path := range []string{"/leads", "/profiles/p_bob", "/profiles/p_ann",
		"/profiles/" + `%3Cscript%3Ealert(1)%3C%2Fscript%3E`, "/leads?grade=%3Cscript%3E"} {
		r := c.get(t, path)
		for _, raw := range []string{"<script>alert", `<img src=x`, "<b>bold</b>", "</pre><b>"} {
			if strings.Contains(r.body, raw) {
				t.Errorf("%s: the page holds %q unescaped", path, raw)
			}
		}
	}
	expect(t, "escaped name", c.get(t, "/profiles/p_bob"), 200,
		[]string{"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;", "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"}, nil)
	expect(t, "escaped property", c.get(t, "/profiles/p_ann"), 200, []string{"&lt;/pre&gt;&lt;b&gt;bold&lt;/b&gt;"}, nil)
}

func TestStaticAssets(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	for _, tc := range []struct {
		path, want string
		status     int
	}{
		{"/static/style.css", "system-ui", 200},
		{"/static/charts.js", "data-chart", 200},
		{"/static/vendor/chartjs/chart.umd.min.js", "Chart.js v4", 200},
		{"/static/vendor/chartjs/LICENSE.md", "MIT", 200},
		{"/static/", "", 404},
		{"/static/nothing.js", "", 404},
	} {
		r := c.get(t, tc.path)
		if r.status != tc.status || !strings.Contains(r.body, tc.want) {
			t.Errorf("%s: status %d, want %d with %q", tc.path, r.status, tc.status, tc.want)
		}
	}
	login := c.get(t, "/login").body
	if !strings.Contains(login, `/static/style.css?v=`) || strings.Contains(login, "Sign out") {
		t.Errorf("sign-in page: want the versioned stylesheet and no navigation\n%s", login)
	}
}

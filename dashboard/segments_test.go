package dashboard_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/dashboard"
)

// Hostile text for a segment's name and description, and a bucket's
// persona, which every page must escape.
const (
	hostileSegment = `<img src=x onerror=alert(1)>VIP`
	hostileStory   = `"><script>alert("story")</script>`
)

// seedSegments stores a rule segment "vip" (hostile name) holding Ann and
// Bob, a discovered bucket "cluster-1" (hostile label and story) holding
// Ann, and a profile whose identities a spreadsheet would read as
// formulas, in vip.
func seedSegments(t *testing.T, f *fixture) {
	t.Helper()
	ctx := context.Background()
	persona := `{"cluster":1,"size":1,"share":0.5,"medians":{"age":41,"frequency":1,"monetary":42.5,"sessions":3},
		"channel":"web","channel_share":1,"top_categories":[{"name":"flowers","share":1}],"traits":["older","online"],
		"label":"` + strings.ReplaceAll(hostileSegment, `"`, `\"`) + `","story":` + mustJSON(t, hostileStory) + `}`
	for _, s := range []*rapport.Segment{
		{ID: "vip", Name: hostileSegment, Description: hostileStory, Kind: rapport.SegmentRule, Expression: "orders >= 0",
			CreatedAt: testBase, UpdatedAt: testBase},
		{ID: "cluster-1", Name: "Online flower buyers", Description: hostileStory, Kind: rapport.SegmentCluster,
			Persona: json.RawMessage(persona), CreatedAt: testBase, UpdatedAt: testBase},
	} {
		if err := f.store.PutSegment(ctx, s); err != nil {
			t.Fatalf("put segment %s: %v", s.ID, err)
		}
	}
	formula := &rapport.Profile{ID: "p_formula", Kind: rapport.ProfilePerson, Traits: map[string]any{"name": "Formula"},
		CreatedAt: testBase, UpdatedAt: testBase}
	base, err := f.store.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	err = f.store.ApplyChanges(ctx, rapport.Changes{Base: base, Checkpoint: base, Profiles: []*rapport.Profile{formula},
		Identities: []rapport.IdentityLink{
			{Identity: rapport.Identity{Kind: rapport.IdentityUserID, Value: "=HYPERLINK(\"http://x\")"}, ProfileID: "p_formula"},
			{Identity: rapport.Identity{Kind: rapport.IdentityEmail, Value: "@evil.example"}, ProfileID: "p_formula"}}})
	if err != nil {
		t.Fatalf("seed formula profile: %v", err)
	}
	var changes []rapport.MembershipChange
	for _, m := range []struct{ seg, profile string }{{"vip", "p_ann"}, {"vip", "p_bob"}, {"vip", "p_formula"}, {"cluster-1", "p_ann"}} {
		changes = append(changes, rapport.MembershipChange{SegmentID: m.seg, ProfileID: m.profile, Entered: true, At: testBase.Add(time.Hour)})
	}
	if err := f.store.ApplyMemberships(ctx, changes); err != nil {
		t.Fatalf("apply memberships: %v", err)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSegmentPagesNeedSignIn(t *testing.T) {
	f := newFixture(t)
	seedSegments(t, f)
	c := f.client(t)
	for _, path := range []string{"/segments", "/segments/new", "/segments/economics", "/segments/vip", "/segments/vip/edit",
		"/segments/vip/delete", "/segments/vip/members.csv"} {
		r := c.get(t, path)
		if want := "/login?next=" + url.QueryEscape(path); r.status != http.StatusSeeOther || r.header.Get("Location") != want {
			t.Errorf("GET %s signed out: %d to %q, want 303 to %s", path, r.status, r.header.Get("Location"), want)
		}
	}
	for _, path := range []string{"/segments", "/segments/preview", "/segments/vip", "/segments/vip/delete"} {
		r := c.do(t, http.MethodPost, path, url.Values{"expression": {"orders > 0"}, "name": {"x"}})
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/login" {
			t.Errorf("POST %s signed out: %d to %q, want 303 to /login", path, r.status, r.header.Get("Location"))
		}
	}
}

func TestSegmentFormsNeedCSRF(t *testing.T) {
	f := newFixture(t)
	seedSegments(t, f)
	c := f.signedIn(t)
	form := url.Values{"name": {"Buyers"}, "expression": {"orders > 0"}, "op": {"save"}}
	for _, path := range []string{"/segments", "/segments/preview", "/segments/vip", "/segments/vip/delete"} {
		for _, token := range []string{"", "d3Jvbmc"} {
			sent := url.Values{"csrf": {token}}
			for k, v := range form {
				sent[k] = v
			}
			expect(t, "POST "+path+" with CSRF "+token, c.do(t, http.MethodPost, path, sent), http.StatusForbidden,
				[]string{"security token is missing or wrong"}, nil)
		}
	}
	if _, err := f.store.FindSegment(context.Background(), "buyers"); rapport.ErrorCode(err) != rapport.ENOTFOUND {
		t.Errorf("a segment was saved without a CSRF token: %v", err)
	}
	if _, err := f.store.FindSegment(context.Background(), "vip"); err != nil {
		t.Errorf("vip was deleted without a CSRF token: %v", err)
	}
}

func TestSegmentPages(t *testing.T) {
	f := newFixture(t)
	seedSegments(t, f)
	c := f.signedIn(t)
	escaped := "&lt;img src=x onerror=alert(1)&gt;VIP"
	for _, tc := range []struct {
		name, path string
		status     int
		want, not  []string
	}{
		{"list", "/segments", 200,
			[]string{`<a href="/segments" aria-current="page">Segments</a>`, `<a href="/segments/vip">` + escaped + `</a>`,
				`<code class="rule">orders &gt;= 0</code>`, `href="/segments/vip/members.csv"`, `href="/segments/cluster-1">Online flower buyers</a>`,
				`href="/segments/new"`, "4 profiles in all", "75.0%"},
			[]string{hostileSegment, "<script>alert"}},
		{"rule segment", "/segments/vip", 200,
			[]string{"<h1>" + escaped + "</h1>", `id="member-count">3</dd>`, `href="/profiles/p_ann">Ann</a>`,
				`href="/profiles/p_formula">Formula</a>`, "entered", `href="/segments/vip/edit"`, `href="/segments/vip/delete"`,
				`id="segment-expression">orders &gt;= 0</pre>`},
			[]string{hostileSegment, "<script>alert", `rel="next"`, `id="persona"`}},
		{"bucket", "/segments/cluster-1", 200,
			[]string{"Persona card", `<p class="persona-label">` + escaped + `</p>`, "&#34;&gt;&lt;script&gt;alert(&#34;story&#34;)&lt;/script&gt;",
				"<th scope=\"row\">Age (years)</th><td class=\"num\">41</td>", "flowers", "discovered bucket", `<span class="tag">older</span>`},
			[]string{hostileSegment, "<script>alert", `href="/segments/cluster-1/edit"`}},
		{"editor of a rule", "/segments/vip/edit", 200,
			[]string{`value="` + escaped + `"`, `action="/segments/vip"`, ">orders &gt;= 0</textarea>", "segment-editor.js", `data-preview="/segments/preview"`},
			[]string{hostileSegment}},
		{"new segment", "/segments/new", 200, []string{"<h1>New segment</h1>", `action="/segments"`, `id="segment-id"`}, nil},
		{"bucket has no rule to edit", "/segments/cluster-1/edit", 409, []string{"is a discovered bucket"}, nil},
		{"confirm delete", "/segments/vip/delete", 200, []string{"Delete " + escaped + "?", "with its\n3 members", `action="/segments/vip/delete"`},
			[]string{hostileSegment}},
		{"unknown segment", "/segments/nope", 404, []string{"There is no segment nope."}, nil},
		{"members page 2", "/segments/vip?page=2", 200, []string{"No members on this page", `<a href="/segments/vip">go to the first page</a>`}, nil},
		{"page 0", "/segments/vip?page=0", 400, []string{"page: must be one whole number from 1 to 1000000"}, nil},
		{"page not a number", "/segments/vip?page=x", 400, []string{"page: must be one whole number"}, nil},
		{"history page twice", "/segments/vip?history_page=1&history_page=2", 400, []string{"history_page: must be one whole number"}, nil},
		{"history page too far", "/segments/vip?history_page=1000001", 400, []string{"history_page: must be one whole number"}, nil},
	} {
		expect(t, tc.name, c.get(t, tc.path), tc.status, tc.want, tc.not)
	}
}

func TestSegmentEditor(t *testing.T) {
	f := newFixture(t)
	seedSegments(t, f)
	c := f.signedIn(t)
	typo := "orders >= 1 &&\r\n  revenu > 10"
	for _, tc := range []struct {
		name   string
		form   url.Values
		status int
		want   []string
	}{
		{"compile error", url.Values{"name": {"Buyers"}, "expression": {typo}, "op": {"save"}}, 422,
			[]string{"Line 2, column 3: unknown name revenu", `<pre class="snippet"> |   revenu &gt; 10`, `aria-invalid="true"`,
				`value="Buyers"`, ">orders &gt;= 1 &amp;&amp;\n  revenu &gt; 10</textarea>"}},
		{"check a typo", url.Values{"name": {"Buyers"}, "expression": {typo}, "op": {"check"}}, 200,
			[]string{"Line 2, column 3: unknown name revenu"}},
		{"check a rule", url.Values{"name": {""}, "expression": {"orders >= 1"}, "op": {"check"}}, 200,
			[]string{"Matches <strong>1</strong> of 4 profiles."}},
		{"no name", url.Values{"name": {" "}, "expression": {"orders >= 1"}, "op": {"save"}}, 422,
			[]string{`id="name-error">Give the segment a name`}},
		{"name too long", url.Values{"name": {strings.Repeat("n", 201)}, "expression": {"orders >= 1"}}, 422,
			[]string{"The name is longer than 200 characters."}},
		{"reserved id", url.Values{"name": {"Economics"}, "expression": {"orders >= 1"}}, 422,
			[]string{"The id economics is the address of a dashboard page"}},
		{"bad id", url.Values{"name": {"Buyers"}, "id": {"Big Buyers"}, "expression": {"orders >= 1"}}, 422,
			[]string{`id="id-error">id &#34;Big Buyers&#34;: want lower-case letters`, `value="Big Buyers"`}},
		{"id taken", url.Values{"name": {"VIP"}, "expression": {"orders >= 1"}}, 409,
			[]string{"There is a segment with the id vip already"}},
		{"hostile text shown again escaped", url.Values{"name": {hostileSegment}, "description": {hostileStory}, "expression": {"nope("}}, 422,
			[]string{`value="&lt;img src=x onerror=alert(1)&gt;VIP"`, "&#34;&gt;&lt;script&gt;alert(&#34;story&#34;)&lt;/script&gt;</textarea>"}},
	} {
		r := c.post(t, "/segments", tc.form)
		expect(t, tc.name, r, tc.status, tc.want, []string{hostileSegment, "<script>alert"})
	}

	r := c.post(t, "/segments", url.Values{"name": {"Buyers"}, "description": {"Ordered at least once"},
		"expression": {"orders >= 1 &&\r\n  revenue > 10"}, "op": {"save"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/segments/buyers?notice=segment-saved" {
		t.Fatalf("save: %d to %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	seg, err := f.store.FindSegment(context.Background(), "buyers")
	if err != nil || seg.Expression != "orders >= 1 &&\n  revenue > 10" || seg.Kind != rapport.SegmentRule {
		t.Fatalf("stored %+v, %v: want the rule with LF line ends", seg, err)
	}
	f.segments.Wait()
	expect(t, "saved", c.get(t, "/segments/buyers?notice=segment-saved"), 200,
		[]string{"The segment was saved.", `id="member-count">1</dd>`, `href="/profiles/p_ann">Ann</a>`, "Ordered at least once"}, nil)

	r = c.post(t, "/segments/buyers", url.Values{"name": {"Big buyers"}, "id": {"ignored"}, "expression": {"revenue > 100"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/segments/buyers?notice=segment-saved" {
		t.Fatalf("update: %d to %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	got, err := f.store.FindSegment(context.Background(), "buyers")
	if err != nil || got.Name != "Big buyers" || got.Expression != "revenue > 100" || !got.CreatedAt.Equal(seg.CreatedAt) {
		t.Errorf("updated %+v, %v: want the new name and rule, the first creation time", got, err)
	}
	expect(t, "update a bucket", c.post(t, "/segments/cluster-1", url.Values{"name": {"x"}, "expression": {"orders > 0"}}),
		409, []string{"is a discovered bucket"}, nil)
	expect(t, "update unknown", c.post(t, "/segments/nope", url.Values{"name": {"x"}, "expression": {"orders > 0"}}),
		404, []string{"There is no segment nope."}, nil)
}

func TestSegmentPreview(t *testing.T) {
	f := newFixture(t)
	c := f.signedIn(t)
	for _, tc := range []struct {
		name, expression string
		want             map[string]any
	}{
		{"count", "orders >= 1", map[string]any{"valid": true, "matched": 1.0, "scanned": 3.0, "estimate": 1.0, "exact": true}},
		{"typo", "orders >= 1 &&\r\n  revenu > 10", map[string]any{"valid": false, "error": "unknown name revenu"}},
		{"empty", " ", map[string]any{"valid": false, "error": "Write an expression to see how many profiles it matches."}},
	} {
		r := c.post(t, "/segments/preview", url.Values{"expression": {tc.expression}})
		if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/json" {
			t.Errorf("%s: %d %q, want 200 JSON\n%s", tc.name, r.status, r.header.Get("Content-Type"), r.body)
			continue
		}
		var got map[string]any
		if err := json.Unmarshal([]byte(r.body), &got); err != nil {
			t.Fatalf("%s: %v\n%s", tc.name, err, r.body)
		}
		for k, v := range tc.want {
			if got[k] != v {
				t.Errorf("%s: %s = %v, want %v (%s)", tc.name, k, got[k], v, r.body)
			}
		}
		if tc.name == "typo" {
			p, _ := got["problem"].(map[string]any)
			if p["line"] != 2.0 || p["column"] != 3.0 || !strings.Contains(p["snippet"].(string), "revenu > 10") {
				t.Errorf("typo: problem %v, want line 2, column 3 and the snippet", p)
			}
		}
	}
}

func TestSegmentCSV(t *testing.T) {
	f := newFixture(t)
	seedSegments(t, f)
	c := f.signedIn(t)
	r := c.get(t, "/segments/vip/members.csv")
	if r.status != 200 || r.header.Get("Content-Type") != "text/csv; charset=utf-8" ||
		r.header.Get("Content-Disposition") != `attachment; filename="segment-vip.csv"` {
		t.Fatalf("export: %d %q %q\n%s", r.status, r.header.Get("Content-Type"), r.header.Get("Content-Disposition"), r.body)
	}
	recs, err := csv.NewReader(strings.NewReader(r.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"profile_id", "since", "user_id", "email"},
		{"p_ann", "2025-03-01T11:00:00Z", "ann-1", "ann@example.com"},
		{"p_bob", "2025-03-01T11:00:00Z", "bob-1", ""},
		{"p_formula", "2025-03-01T11:00:00Z", `'=HYPERLINK("http://x")`, "'@evil.example"},
	}
	if len(recs) != len(want) {
		t.Fatalf("export has %d lines, want %d:\n%s", len(recs), len(want), r.body)
	}
	for i := range want {
		if strings.Join(recs[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("line %d: %q, want %q", i, recs[i], want[i])
		}
	}
	expect(t, "unknown segment", c.get(t, "/segments/nope/members.csv"), 404, []string{"There is no segment nope."}, nil)
}

func TestDeleteSegment(t *testing.T) {
	f := newFixture(t)
	seedSegments(t, f)
	c := f.signedIn(t)
	r := c.post(t, "/segments/vip/delete", nil)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/segments?notice=segment-deleted" {
		t.Fatalf("delete: %d to %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	expect(t, "deleted", c.get(t, "/segments?notice=segment-deleted"), 200, []string{"The segment was deleted", "No rule segments yet."}, nil)
	expect(t, "delete again", c.post(t, "/segments/vip/delete", nil), 404, []string{"There is no segment vip."}, nil)
}

// TestSegmentsWithoutKeeper: a process that does not keep segments shows
// them, and refuses to change them.
func TestSegmentsWithoutKeeper(t *testing.T) {
	f := newFixture(t)
	seedSegments(t, f)
	h, err := dashboard.New(dashboard.Config{Store: f.store, Clock: f.clock,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), SessionKey: testSessionKey})
	if err != nil {
		t.Fatal(err)
	}
	g := *f
	g.srv = httptest.NewServer(h)
	t.Cleanup(g.srv.Close)
	c := g.signedIn(t)
	expect(t, "list", c.get(t, "/segments"), 200, []string{"This process does not keep segments"}, []string{`href="/segments/new"`, `href="/segments/vip/edit"`})
	expect(t, "editor", c.get(t, "/segments/new"), 200, []string{"This process does not keep segments"}, []string{"<textarea"})
	expect(t, "save", c.post(t, "/segments", url.Values{"name": {"x"}, "expression": {"orders > 0"}}), 409, []string{"does not keep segments"}, nil)
	expect(t, "delete", c.post(t, "/segments/vip/delete", nil), 409, []string{"does not keep segments"}, nil)
	r := c.post(t, "/segments/preview", url.Values{"expression": {"orders > 0"}})
	if r.status != http.StatusConflict || !strings.Contains(r.body, `"error":"This process does not keep segments`) {
		t.Errorf("preview: %d %s, want a JSON 409", r.status, r.body)
	}
}

func TestEconomicsPage(t *testing.T) {
	f := newFixture(t)
	seedSegments(t, f)
	c := f.signedIn(t)
	deadline := time.Now().Add(10 * time.Second)
	r := c.get(t, "/segments/economics")
	for strings.Contains(r.body, `id="computing"`) {
		if time.Now().After(deadline) {
			t.Fatal("the economics were not shown once computed")
		}
		time.Sleep(50 * time.Millisecond)
		r = c.get(t, "/segments/economics")
	}
	expect(t, "economics", r, 200, []string{
		`<a href="/segments" aria-current="page">Segments</a>`, "All customers", `<a href="/segments/vip">&lt;img src=x onerror=alert(1)&gt;VIP</a>`,
		`<td class="num">42.50</td>`, `id="bgnbd"`, `id="gamma-gamma"`, "Read the forecasts with care", `href="/profiles/p_ann">Ann</a>`,
		`id="rfm-grid"`, "heat-5", "<th scope=\"row\">R 5</th>", `id="rfm-groups-chart"`, "Champions", "over 4 profiles",
	}, []string{hostileSegment})
	expect(t, "bucket mix", c.get(t, "/segments/cluster-1"), 200,
		[]string{`id="channel-chart"`, `id="category-chart"`, "<th scope=\"row\">flowers</th><td class=\"num\">42.50</td>", "Over the 1 members with an order"}, nil)
}

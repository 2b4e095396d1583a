package http

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/rapportdev/rapport/sqlite"
	"gopkg.in/yaml.v3"
)

// openAPIPath is the API document, relative to this package.
var openAPIPath = filepath.Join("..", "docs", "openapi.yaml")

// documentedOutsideAdmin lists the routes other files register, which the
// document must describe too: the tracking API, health and metrics, lead
// intake and pricing (vendor keys) and contact attempts (write keys).
var documentedOutsideAdmin = []string{
	"POST /v1/identify", "POST /v1/track", "POST /v1/page", "POST /v1/screen",
	"POST /v1/group", "POST /v1/alias", "POST /v1/batch", "POST /v1/import",
	"GET /healthz", "GET /metrics",
	"POST /v1/leads", "POST /v1/leads/contacts", "POST /api/v1/leads/price",
}

// openAPIDoc is the part of the document the tests read.
type openAPIDoc struct {
	OpenAPI string                          `yaml:"openapi"`
	Paths   map[string]map[string]yaml.Node `yaml:"paths"`
	Comps   map[string]map[string]yaml.Node `yaml:"components"`
}

// readOpenAPI parses docs/openapi.yaml.
func readOpenAPI(t *testing.T) (openAPIDoc, []byte) {
	t.Helper()
	raw, err := os.ReadFile(openAPIPath)
	if err != nil {
		t.Fatalf("read %s: %v", openAPIPath, err)
	}
	var doc openAPIDoc
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("parse %s: %v", openAPIPath, err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		t.Errorf("openapi: got %q, want 3.1.x", doc.OpenAPI)
	}
	return doc, raw
}

// splitPattern splits a ServeMux pattern "GET /a/{id}" into the OpenAPI
// operation key "get" and path "/a/{id}".
func splitPattern(t *testing.T, pattern string) (method, path string) {
	t.Helper()
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		t.Fatalf("pattern %q: want METHOD /path", pattern)
	}
	return strings.ToLower(method), path
}

// TestOpenAPICoversRoutes fails when a route is served but not documented.
func TestOpenAPICoversRoutes(t *testing.T) {
	doc, _ := readOpenAPI(t)
	patterns := append([]string{}, documentedOutsideAdmin...)
	for _, rt := range adminRoutes {
		patterns = append(patterns, rt.pattern)
	}
	for _, p := range patterns {
		method, path := splitPattern(t, p)
		if _, ok := doc.Paths[path][method]; !ok {
			t.Errorf("%s: not documented in %s (want paths[%q].%s)", p, openAPIPath, path, method)
		}
	}
}

// TestOpenAPIDescribesOnlyServedAdminRoutes fails when the document
// describes an admin operation the server does not have.
func TestOpenAPIDescribesOnlyServedAdminRoutes(t *testing.T) {
	doc, _ := readOpenAPI(t)
	served := make(map[string]bool)
	for _, rt := range adminRoutes {
		served[rt.pattern] = true
	}
	for _, p := range documentedOutsideAdmin { // the vendor-key pricing route lives under /api/
		served[p] = true
	}
	for path, ops := range doc.Paths {
		if !strings.HasPrefix(path, "/api/") {
			continue
		}
		for method := range ops {
			if method == "parameters" || method == "summary" || method == "description" {
				continue
			}
			if p := strings.ToUpper(method) + " " + path; !served[p] {
				t.Errorf("%s: documented but not in adminRoutes", p)
			}
		}
	}
}

// TestDocumentedRoutesRegistered checks that the mux routes a request for
// each entry of adminRoutes and of the fixed list to that very pattern, so
// the lists the document is checked against are the routes served.
func TestDocumentedRoutesRegistered(t *testing.T) {
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "rapport.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	defer st.Close()
	s := NewServer(Config{Store: st, Registry: prometheus.NewRegistry()})
	patterns := append([]string{}, documentedOutsideAdmin...)
	for _, rt := range adminRoutes {
		patterns = append(patterns, rt.pattern)
	}
	wildcard := regexp.MustCompile(`\{[^}]+\}`)
	for _, p := range patterns {
		method, path := splitPattern(t, p)
		req := httptest.NewRequest(strings.ToUpper(method), wildcard.ReplaceAllString(path, "x1"), nil)
		if _, got := s.mux.Handler(req); got != p {
			t.Errorf("%s %s: routed to %q, want %q", req.Method, req.URL.Path, got, p)
		}
	}
	req := httptest.NewRequest(http.MethodGet, "/api/v1/profiles/lookup", nil)
	if _, got := s.mux.Handler(req); got != "GET /api/v1/profiles/lookup" {
		t.Errorf("lookup: routed to %q, want the lookup route, not {id}", got)
	}
}

// TestOpenAPIRefsResolve fails on a $ref to a component that is missing.
func TestOpenAPIRefsResolve(t *testing.T) {
	doc, raw := readOpenAPI(t)
	refs := regexp.MustCompile(`\$ref: "#/components/(\w+)/(\w+)"`).FindAllStringSubmatch(string(raw), -1)
	if len(refs) == 0 {
		t.Fatalf("no $ref found; want components referenced")
	}
	for _, m := range refs {
		if _, ok := doc.Comps[m[1]][m[2]]; !ok {
			t.Errorf("$ref #/components/%s/%s: no such component", m[1], m[2])
		}
	}
	for _, name := range []string{"Event", "Profile", "Identity", "Aggregates", "Order", "Product",
		"Merge", "Erasure", "Key", "Error"} {
		if _, ok := doc.Comps["schemas"][name]; !ok {
			t.Errorf("schema %s: missing from components", name)
		}
	}
}

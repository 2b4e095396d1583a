package main

import (
	"net/http"
	"testing"
	"time"
)

// TestReadmeQuickStart follows the README: serve --demo, send an identify
// and an order with curl's requests, read the profile back by email.
func TestReadmeQuickStart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process; skipped with -short")
	}
	srv := startServer(t, "--data", t.TempDir(), "--demo")
	steps := []struct{ path, body string }{
		{"/v1/identify", `{"userId":"ann-1","anonymousId":"web-7","traits":{"email":"Ann@Example.com","plan":"pro"}}`},
		{"/v1/track", `{"userId":"ann-1","event":"Order Completed","properties":{"order_id":"o-1","revenue":42.5,
			"products":[{"product_id":"rose-12","category":"flowers","price":42.5,"quantity":1}]}}`},
	}
	for _, s := range steps {
		if code, body, err := post(http.DefaultClient, srv.URL+s.path, s.body); err != nil || code != http.StatusOK {
			t.Fatalf("POST %s: status %d, err %v, body %s", s.path, code, err, body)
		}
	}
	var p struct {
		ID         string
		Traits     map[string]any
		Identities []struct{ Kind, Value string }
		Aggregates struct {
			Orders  int64
			Revenue float64
		}
	}
	waitFor(t, 10*time.Second, func() bool {
		return adminGet(t, srv.URL+"/api/v1/profiles/lookup?email=ann@example.com", &p) == http.StatusOK && p.Aggregates.Orders == 1
	})
	if p.Traits["plan"] != "pro" || p.Aggregates.Revenue != 42.5 || len(p.Identities) < 3 {
		t.Errorf("profile = %+v, want plan pro, revenue 42.5 and userId, anonymousId and email identities", p)
	}
	var list struct{ Total int }
	if adminGet(t, srv.URL+"/api/v1/profiles?limit=1", &list) != http.StatusOK || list.Total < 100 {
		t.Errorf("profiles total = %d, want the demo's profiles (at least 100)", list.Total)
	}
}

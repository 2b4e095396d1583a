package http_test

import (
	"context"
	"testing"

	"github.com/rapportdev/rapport"
)

// ordersSegment stores the rule segment "buyers" (people with an order)
// and waits for its members.
func ordersSegment(t *testing.T, f *adminFixture) {
	t.Helper()
	err := f.segments.Put(context.Background(), &rapport.Segment{ID: "buyers", Name: "Buyers", Kind: rapport.SegmentRule,
		Expression: `orders >= 1`, CreatedAt: adminTestBase, UpdatedAt: adminTestBase})
	if err != nil {
		t.Fatal(err)
	}
	if st := f.segments.Wait(); st.Error != "" {
		t.Fatalf("pass: %+v", st)
	}
}

func TestAdminSegments(t *testing.T) {
	runAdminScenarios(t, []adminScenario{
		{name: "create", method: "POST", url: "/api/v1/segments",
			body:       `{"name":"Repeat buyers","expression":"orders >= 1 && revenue > 40"}`,
			wantStatus: 201, wantBody: []string{`"id":"repeat-buyers"`, `"kind":"rule"`},
			after: func(t *testing.T, f *adminFixture, body string) {
				f.segments.Wait()
				members, total, err := f.store.FindMembers(context.Background(), "repeat-buyers", 0, 10)
				if err != nil || total != 1 || members[0].ProfileID != "p_ann" {
					t.Errorf("members %v (total %d), %v; want Ann, who ordered", members, total, err)
				}
			}},
		{name: "compile error points at the problem", method: "POST", url: "/api/v1/segments",
			body:       `{"name":"Typo","expression":"orders >= 1 &&\n  revenu > 10"}`,
			wantStatus: 400, wantBody: []string{`"code":"invalid"`, `"line":2`, `"column":3`, `unknown name revenu`}},
		{name: "missing name", method: "POST", url: "/api/v1/segments", body: `{"expression":"true"}`,
			wantStatus: 400, wantBody: []string{"name: required"}},
		{name: "unknown field", method: "POST", url: "/api/v1/segments", body: `{"name":"x","expresion":"true"}`,
			wantStatus: 400, wantBody: []string{"unknown field"}},
		{name: "id taken", method: "POST", url: "/api/v1/segments", before: ordersSegment,
			body: `{"id":"buyers","name":"Buyers again","expression":"true"}`, wantStatus: 409},
		{name: "list with counts", method: "GET", url: "/api/v1/segments", before: ordersSegment, wantStatus: 200,
			wantBody: []string{`"id":"buyers"`, `"members":1`}},
		{name: "get", method: "GET", url: "/api/v1/segments/buyers", before: ordersSegment, wantStatus: 200,
			wantBody: []string{`"expression":"orders >= 1"`, `"members":1`}},
		{name: "get unknown", method: "GET", url: "/api/v1/segments/nope", wantStatus: 404},
		{name: "update", method: "PUT", url: "/api/v1/segments/buyers", before: ordersSegment,
			body: `{"name":"Everyone","expression":"true"}`, wantStatus: 200,
			after: func(t *testing.T, f *adminFixture, body string) {
				f.segments.Wait()
				if counts, _ := f.store.CountMembers(context.Background(), []string{"buyers"}); counts["buyers"] != 3 {
					t.Errorf("members after widening: %v, want all 3 profiles", counts)
				}
			}},
		{name: "members", method: "GET", url: "/api/v1/segments/buyers/members?limit=10", before: ordersSegment, wantStatus: 200,
			wantBody: []string{`"members":[{"profileId":"p_ann"`, `"total":1`}},
		{name: "members as CSV", method: "GET", url: "/api/v1/segments/buyers/members?format=csv", before: ordersSegment,
			wantStatus: 200, wantHeaders: map[string]string{"Content-Type": "text/csv; charset=utf-8"},
			wantBody: []string{"profile_id,since,user_id,email\np_ann,", ",ann-1,"}},
		{name: "history", method: "GET", url: "/api/v1/segments/buyers/history", before: ordersSegment, wantStatus: 200,
			wantBody: []string{`"changes":[{"segmentId":"buyers","profileId":"p_ann","entered":true`}},
		{name: "preview", method: "POST", url: "/api/v1/segments/preview", body: `{"expression":"orders >= 1"}`,
			wantStatus: 200, wantBody: []string{`"matched":1`, `"scanned":3`, `"exact":true`}},
		{name: "preview of a broken expression", method: "POST", url: "/api/v1/segments/preview", body: `{"expression":"orders >="}`,
			wantStatus: 400, wantBody: []string{`"problem":{"segment":"preview","line":1`}},
		{name: "recompute", method: "POST", url: "/api/v1/segments/recompute", before: ordersSegment, wantStatus: 202,
			wantBody: []string{`"running":true`}},
		{name: "delete", method: "DELETE", url: "/api/v1/segments/buyers", before: ordersSegment, wantStatus: 204,
			after: func(t *testing.T, f *adminFixture, body string) {
				if _, err := f.store.FindSegment(context.Background(), "buyers"); rapport.ErrorCode(err) != rapport.ENOTFOUND {
					t.Errorf("segment still there: %v", err)
				}
			}},
		{name: "update a cluster is refused", method: "PUT", url: "/api/v1/segments/cluster-1",
			before: func(t *testing.T, f *adminFixture) {
				if err := f.store.PutSegment(context.Background(), &rapport.Segment{ID: "cluster-1", Name: "Young online influencers",
					Kind: rapport.SegmentCluster, CreatedAt: adminTestBase, UpdatedAt: adminTestBase}); err != nil {
					t.Fatal(err)
				}
			},
			body: `{"name":"x","expression":"true"}`, wantStatus: 409, wantBody: []string{"rapport cluster"}},
	})
}

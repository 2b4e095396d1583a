package http_test

import (
	"context"
	"testing"

	"github.com/rapportdev/rapport"
)

// reportBuckets stores a discovered bucket holding Ann and Bob, named the
// way a spreadsheet would read as a formula, with its persona card.
func reportBuckets(t *testing.T, f *adminFixture) {
	t.Helper()
	ctx := context.Background()
	err := f.store.PutSegment(ctx, &rapport.Segment{ID: "cluster-1", Name: "=Florists", Kind: rapport.SegmentCluster,
		Persona:   []byte(`{"cluster":0,"size":2,"share":1,"medians":{"monetary":21.25},"traits":["big_basket"],"label":"Florists","story":"They buy roses."}`),
		CreatedAt: adminTestBase, UpdatedAt: adminTestBase})
	if err != nil {
		t.Fatal(err)
	}
	err = f.store.ApplyMemberships(ctx, []rapport.MembershipChange{
		{SegmentID: "cluster-1", ProfileID: "p_ann", Entered: true, At: adminTestBase},
		{SegmentID: "cluster-1", ProfileID: "p_bob", Entered: true, At: adminTestBase},
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestAdminReports(t *testing.T) {
	csv := map[string]string{"Content-Type": "text/csv; charset=utf-8"}
	runAdminScenarios(t, []adminScenario{
		{name: "segments", method: "GET", url: "/api/v1/reports/segments", before: reportBuckets, wantStatus: 200,
			wantBody: []string{`"profiles":3`, `{"id":"cluster-1","name":"=Florists","kind":"cluster","members":2,"share":0.6667}`}},
		{name: "segments as CSV", method: "GET", url: "/api/v1/reports/segments?format=csv", before: reportBuckets,
			wantStatus: 200, wantHeaders: map[string]string{"Content-Type": csv["Content-Type"],
				"Content-Disposition": `attachment; filename="rapport-segments.csv"`},
			wantBody: []string{"segment,name,kind,members,share\ncluster-1,'=Florists,cluster,2,0.6667\n"}},
		// Ann's one order has no time in the fixture: she is a customer,
		// but not modelled, and the model says why.
		{name: "economics", method: "GET", url: "/api/v1/reports/economics", before: reportBuckets, wantStatus: 200,
			wantBody: []string{`"options":{"cost_per_effort_unit":10,`, `"bgnbd":null`, `"problems":["no customer with order times`,
				`"segment":"all","name":"All customers","kind":"all","members":3,"customers":1,"revenue":42.5,"gross_margin":12.75,"margin_basis":"estimated"`,
				`"segment":"cluster-1","name":"=Florists"`}},
		{name: "economics as CSV", method: "GET", url: "/api/v1/reports/economics?format=csv", before: reportBuckets,
			wantStatus: 200, wantHeaders: csv,
			wantBody: []string{"segment,name,kind,members,customers,revenue,gross_margin,margin_basis,", "\nall,All customers,all,3,1,42.5,12.75,estimated,",
				"\ncluster-1,'=Florists,cluster,2,1,42.5,"}},
		{name: "personas", method: "GET", url: "/api/v1/reports/personas", before: reportBuckets, wantStatus: 200,
			wantBody: []string{`"personas":[{"segment":"cluster-1","name":"=Florists","members":2,"cluster":0,"size":2`, `"label":"Florists"`}},
		{name: "no personas yet", method: "GET", url: "/api/v1/reports/personas", wantStatus: 200, wantBody: []string{`"personas":[]`}},
		{name: "personas as CSV", method: "GET", url: "/api/v1/reports/personas?format=csv", before: reportBuckets,
			wantStatus: 200, wantHeaders: csv,
			wantBody: []string{"segment,name,members,cluster,size,share,label,", "median_monetary\ncluster-1,'=Florists,2,0,2,1,Florists,"}},
		{name: "rfm", method: "GET", url: "/api/v1/reports/rfm", wantStatus: 200,
			wantBody: []string{`"customers":1`, `"cells":[{"r":5,"f":1,`, `"group":"champions"`}},
		{name: "rfm as CSV", method: "GET", url: "/api/v1/reports/rfm?format=csv", wantStatus: 200, wantHeaders: csv,
			wantBody: []string{"table,r,f,group,customers,share,revenue\ncell,5,1,,", "\ngroup,,,champions,"}},
		{name: "serve first", method: "GET", url: "/api/v1/reports/serve-first?limit=5", wantStatus: 200,
			wantBody: []string{`"customers":1`, `"limit":5`, `"ranking":[{"rank":1,"profile_id":"p_ann","user_id":"ann-1","orders":1,"revenue":42.5`}},
		{name: "serve first, default limit", method: "GET", url: "/api/v1/reports/serve-first", wantStatus: 200,
			wantBody: []string{`"limit":100`}},
		{name: "serve first as CSV", method: "GET", url: "/api/v1/reports/serve-first?format=csv&limit=0", wantStatus: 200,
			wantHeaders: csv, wantBody: []string{"rank,profile_id,user_id,orders,revenue,cost_to_serve,p_alive,", "\n1,p_ann,ann-1,1,42.5,"}},
		{name: "serve first, bad limit", method: "GET", url: "/api/v1/reports/serve-first?limit=-3", wantStatus: 400,
			wantBody: []string{`"code":"invalid"`, "limit"}},
		{name: "unknown format", method: "GET", url: "/api/v1/reports/rfm?format=xlsx", wantStatus: 400,
			wantBody: []string{`"code":"invalid"`, "format"}},
		{name: "reports need the admin token", method: "GET", url: "/api/v1/reports/economics",
			headers: map[string]string{"Authorization": "Bearer " + adminTestWriteKey}, wantStatus: 401},
	})
}

package http_test

import (
	"encoding/json"
	"testing"
)

// TestLeadTermsScenarios: a vendor's terms set through the admin API are
// validated naming the field, the daily cap refuses a lead with its own
// error, and a return follows the contract.
func TestLeadTermsScenarios(t *testing.T) {
	f := newLeadFixture(t)
	for _, sc := range []leadScenario{
		{method: "PUT", path: "/api/v1/vendors/v1", auth: adminTestToken, status: 400, want: []string{"terms.overCap: must be refuse or unpaid"},
			body: `{"name":"Vendor One","price":30,"terms":{"overCap":"maybe"}}`},
		{method: "PUT", path: "/api/v1/vendors/v1", auth: adminTestToken, status: 400, want: []string{"terms.dailyCap: must not be negative"},
			body: `{"name":"Vendor One","price":30,"terms":{"dailyCap":-1}}`},
		{method: "PUT", path: "/api/v1/vendors/v1", auth: adminTestToken, status: 200, want: []string{`"dailyCap":1`, `"returnWindowHours":24`},
			body: `{"name":"Vendor One","exclusive":true,"price":30,"terms":{"dailyCap":1,"returnWindowHours":24,"returnReasons":["bad phone"]}}`},
	} {
		f.run(t, sc)
	}
	body := f.run(t, leadScenario{method: "POST", path: "/v1/leads", auth: leadTestVendorKey, status: 400,
		body: `{"leads":[` + leadJSON("a", "ana@example.com") + `,` + leadJSON("b", "bo@example.com") + `]}`,
		want: []string{`"accepted":1`, "vendor v1 sells at most 1 leads a day (terms.dailyCap)"}})
	var intake struct{ Leads []struct{ LeadID string } }
	if err := json.Unmarshal([]byte(body), &intake); err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/leads/" + intake.Leads[0].LeadID + "/return"
	for _, sc := range []leadScenario{
		{method: "POST", path: path, auth: adminTestToken, body: `{"reason":"too old"}`, status: 400, want: []string{`reason: \"too old\" is not among vendor v1's return reasons (bad phone)`}},
		{method: "POST", path: path, auth: adminTestToken, body: `{"reasn":"bad phone"}`, status: 400},
		{method: "POST", path: path, auth: leadTestVendorKey, body: `{"reason":"bad phone"}`, status: 401},
		{method: "POST", path: path, auth: adminTestToken, body: `{"reason":"bad phone"}`, status: 200, want: []string{`"returnReason":"bad phone"`, `"credit":30`}},
		{method: "POST", path: path, auth: adminTestToken, body: `{"reason":"bad phone"}`, status: 409, want: []string{"returned already"}},
		{method: "POST", path: "/api/v1/leads/ld_nope/return", auth: adminTestToken, body: `{"reason":"bad phone"}`, status: 404},
		{method: "GET", path: "/api/v1/vendors/scorecards", auth: adminTestToken, status: 200, want: []string{`"returns":1`, `"credits":30`, `"netSpend":0`}},
	} {
		f.run(t, sc)
	}
}

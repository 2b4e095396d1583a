package http_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestAdminOfferFunnel: Ann is shown double points (an activity offer)
// and accepts; the funnel counts her in today's period, as JSON and CSV.
// A decision asked for a profile merged away twice is made for Ann.
func TestAdminOfferFunnel(t *testing.T) {
	f := newOfferFixture(t)
	d := f.decideFor(t, `{"userId":"ann-1","context":{"channel":"web"}}`)
	status, _, body := f.do(t, "POST", "/api/v1/outcomes", fmt.Sprintf(`{"outcomes":[{"decisionId":%q,"offerId":"points","type":"shown"},
		{"decisionId":%q,"offerId":"points","type":"accepted"}]}`, d.ID, d.ID), adminHeaders())
	if status != 200 {
		t.Fatalf("outcomes: %d %s", status, body)
	}
	today := time.Now().UTC().Format(time.DateOnly)
	for _, sc := range []struct {
		name, url  string
		wantStatus int
		wantBody   []string
	}{
		{"per day", "/api/v1/offers/funnel?period=day", 200, []string{`"period":"day"`,
			`"start":"` + today + `T00:00:00Z"`, `{"stage":"activity","shown":1,"accepted":1,"entered":1,"advanced":0`,
			`{"stage":"acquisition","shown":0,"accepted":0,"entered":0,"next":"activation"`,
			`"conversions":[{"from":"acquisition","to":"activation","entered":0,"advanced":0,"rate":0`}},
		{"weeks by default", "/api/v1/offers/funnel", 200, []string{`"period":"week"`, `"entered":1`}},
		{"as CSV", "/api/v1/offers/funnel?period=day&from=" + today + "&format=csv", 200, []string{
			"period_start,period_end,stage,shown,accepted,entered,next_stage,advanced,conversion,conversion_low,conversion_high\n",
			today + ",", ",activity,1,1,1,,,,,\n", ",acquisition,0,0,0,activation,0,0.0000,0.0000,1.0000\n"}},
		{"a range before anything", "/api/v1/offers/funnel?period=day&from=2020-01-01&to=2020-01-03", 200,
			[]string{`"from":"2020-01-01T00:00:00Z","to":"2020-01-03T00:00:00Z"`, `"entered":0`}},
		{"unknown period", "/api/v1/offers/funnel?period=month", 400, []string{`period \"month\": want day or week`}},
		{"bad from", "/api/v1/offers/funnel?from=last+week", 400, []string{`from: \"last week\", want a date`}},
		{"to before from", "/api/v1/offers/funnel?from=2026-03-02&to=2026-03-01", 400, []string{"to: must be after from"}},
		{"too long", "/api/v1/offers/funnel?period=day&from=2020-01-01&to=2026-01-01", 400, []string{"at most 520"}},
		{"bad format", "/api/v1/offers/funnel?format=xml", 400, []string{"format"}},
	} {
		status, _, body := f.do(t, "GET", sc.url, "", adminHeaders())
		if status != sc.wantStatus {
			t.Errorf("%s: GET %s: status %d, want %d; body %s", sc.name, sc.url, status, sc.wantStatus, body)
		}
		for _, want := range sc.wantBody {
			if !strings.Contains(body, want) {
				t.Errorf("%s: GET %s: body lacks %s; got %s", sc.name, sc.url, want, body)
			}
		}
	}
	// p_older was merged into p_old, and p_old into Ann.
	if d := f.decideFor(t, `{"profileId":"p_older","context":{"channel":"web"}}`); d.ProfileID != "p_ann" {
		t.Errorf("decision for a profile merged away twice is for %q, want p_ann", d.ProfileID)
	}
}

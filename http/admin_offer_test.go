package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/decide"
	rhttp "github.com/rapportdev/rapport/http"
	"github.com/rapportdev/rapport/offer"
)

// offerFixture is the admin fixture served with an offer service holding
// two offers: "points" for everyone on the web and by email, "deli" on
// the web in the deli zone.
type offerFixture struct {
	*adminFixture
	svc *decide.Service
}

func newOfferFixture(t *testing.T) *offerFixture {
	t.Helper()
	f := newAdminFixture(t)
	p := offer.DefaultPolicy()
	p.ControlShare, p.Explore = 0, 0
	svc, err := decide.New(decide.Config{Store: f.store, Policy: p, Seed: 1, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Offers: []*rapport.Offer{
			{ID: "points", Title: "Double points", Channels: []string{"web", "email"}, Value: 1, Stage: rapport.StageActivity},
			{ID: "deli", Title: "Deli coupon", Channels: []string{"web"}, Eligibility: `zone == "deli"`, Value: 5,
				Stage: rapport.StageActivation, Payload: map[string]any{"code": "DELI10"}},
		}})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	f.srv = httptest.NewServer(rhttp.NewServer(rhttp.Config{Store: f.store, Ingest: adminAppender{}, Offers: svc,
		Registry: prometheus.NewRegistry(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	t.Cleanup(f.srv.Close)
	return &offerFixture{adminFixture: f, svc: svc}
}

// decideFor asks for a decision and returns it.
func (f *offerFixture) decideFor(t *testing.T, body string) rapport.Decision {
	t.Helper()
	status, _, resp := f.do(t, "POST", "/api/v1/decide", body, adminHeaders())
	var d rapport.Decision
	if err := json.Unmarshal([]byte(resp), &d); status != 200 || err != nil {
		t.Fatalf("decide: %d %s", status, resp)
	}
	return d
}

func TestAdminOffers(t *testing.T) {
	for _, sc := range []struct {
		name, method, url, body string
		before                  func(t *testing.T, f *offerFixture) string
		wantStatus              int
		wantBody                []string
	}{
		{name: "list", method: "GET", url: "/api/v1/offers", wantStatus: 200,
			wantBody: []string{`"id":"deli"`, `"id":"points"`, `"payload":{"code":"DELI10"}`}},
		{name: "create", method: "POST", url: "/api/v1/offers", wantStatus: 201,
			body:     `{"id":"wine","title":"Wine tasting","channels":["web","email"],"eligibility":"hour >= 17","value":3,"stage":"activity","window":"2h"}`,
			wantBody: []string{`"id":"wine"`, `"window":"2h"`, `"createdAt":"`}},
		{name: "compile error points at the problem", method: "POST", url: "/api/v1/offers", wantStatus: 400,
			body:     `{"id":"wine","title":"Wine","channels":["web"],"eligibility":"hour >= 17 &&\n  zonee == 1","value":3,"stage":"activity"}`,
			wantBody: []string{`"code":"invalid"`, `"problem":{"id":"wine","line":2,"column":3`, `unknown name zonee`}},
		{name: "invalid offer", method: "POST", url: "/api/v1/offers", wantStatus: 400,
			body: `{"id":"wine","title":"Wine","channels":["fax"],"value":3,"stage":"activity"}`, wantBody: []string{`channel \"fax\"`}},
		{name: "id taken", method: "POST", url: "/api/v1/offers", wantStatus: 409,
			body: `{"id":"deli","title":"Deli","channels":["web"],"value":3,"stage":"activity"}`},
		{name: "get", method: "GET", url: "/api/v1/offers/deli", wantStatus: 200, wantBody: []string{`"eligibility":"zone == \"deli\""`}},
		{name: "get unknown", method: "GET", url: "/api/v1/offers/nope", wantStatus: 404},
		{name: "update", method: "PUT", url: "/api/v1/offers/deli", wantStatus: 200,
			body:     `{"title":"Deli, 15% off","channels":["web"],"value":6,"stage":"activation","paused":true}`,
			wantBody: []string{`"id":"deli"`, `"paused":true`}},
		{name: "update unknown", method: "PUT", url: "/api/v1/offers/nope", wantStatus: 404,
			body: `{"title":"x","channels":["web"],"value":6,"stage":"activation"}`},
		{name: "delete", method: "DELETE", url: "/api/v1/offers/deli", wantStatus: 204},
		{name: "trigger", method: "POST", url: "/api/v1/triggers", wantStatus: 201,
			body:     `{"id":"deli-zone","event":"Beacon Entered","condition":"properties.zone == \"deli\"","channel":"beacon"}`,
			wantBody: []string{`"id":"deli-zone"`}},
		{name: "trigger that does not compile", method: "POST", url: "/api/v1/triggers", wantStatus: 400,
			body: `{"id":"t","event":"Beacon Entered","condition":"properties.zone ==","channel":"beacon"}`, wantBody: []string{`"problem":{"id":"t"`}},
		{name: "list triggers", method: "GET", url: "/api/v1/triggers", wantStatus: 200, wantBody: []string{`"triggers":[]`}},
		{name: "decide by user id", method: "POST", url: "/api/v1/decide", wantStatus: 200,
			body:     `{"userId":"ann-1","context":{"channel":"web","zone":"deli","page":"/deli"}}`,
			wantBody: []string{`"profileId":"p_ann"`, `"offerId":"deli"`, `"offerId":"points"`, `"reason":"eligible (zone == \"deli\"); P(accept)`, `"consent":{"result":"not_required"}`}},
		{name: "decide by email, email needs consent", method: "POST", url: "/api/v1/decide", wantStatus: 200,
			body:     `{"email":"Ann@Example.com","context":{"channel":"email"}}`,
			wantBody: []string{`"profileId":"p_ann"`, `"offers":[]`, `"blocked":"no consent for email (no record)"`, `"result":"refused"`}},
		{name: "decide names one person", method: "POST", url: "/api/v1/decide", wantStatus: 400,
			body: `{"userId":"ann-1","email":"ann@example.com","context":{"channel":"web"}}`},
		{name: "decide on an unknown channel", method: "POST", url: "/api/v1/decide", wantStatus: 400,
			body: `{"userId":"ann-1","context":{"channel":"fax"}}`, wantBody: []string{"context.channel"}},
		{name: "outcomes", method: "POST", url: "/api/v1/outcomes", wantStatus: 200,
			before: func(t *testing.T, f *offerFixture) string {
				return f.decideFor(t, `{"userId":"ann-1","context":{"channel":"web","zone":"deli"}}`).ID
			},
			body:     `{"outcomes":[{"decisionId":"{decision}","offerId":"deli","type":"shown"},{"decisionId":"{decision}","offerId":"deli","type":"converted","revenue":12.5}]}`,
			wantBody: []string{`"type":"shown"`, `"type":"converted","channel":"web","arm":"all","revenue":12.5`, `"type":"accepted"`}},
		{name: "one outcome", method: "POST", url: "/api/v1/outcomes", wantStatus: 200,
			before: func(t *testing.T, f *offerFixture) string {
				return f.decideFor(t, `{"userId":"ann-1","context":{"channel":"web"}}`).ID
			},
			body: `{"decisionId":"{decision}","offerId":"points","type":"dismissed"}`, wantBody: []string{`"recorded":[{"decisionId":"`}},
		{name: "outcome of an offer not decided", method: "POST", url: "/api/v1/outcomes", wantStatus: 400,
			before: func(t *testing.T, f *offerFixture) string {
				return f.decideFor(t, `{"userId":"ann-1","context":{"channel":"web"}}`).ID
			},
			body: `{"decisionId":"{decision}","offerId":"deli","type":"shown"}`, wantBody: []string{"did not return it"}},
		{name: "outcome of an unknown decision", method: "POST", url: "/api/v1/outcomes", wantStatus: 404,
			body: `{"decisionId":"d_nope","offerId":"deli","type":"shown"}`},
		{name: "decision as recorded", method: "GET", url: "/api/v1/decisions/{decision}", wantStatus: 200,
			before: func(t *testing.T, f *offerFixture) string {
				return f.decideFor(t, `{"userId":"ann-1","context":{"channel":"web"}}`).ID
			},
			wantBody: []string{`"consent":{"result":"not_required"}`, `"offerId":"points"`}},
		{name: "report", method: "GET", url: "/api/v1/offers/report?since=2020-01-01T00:00:00Z", wantStatus: 200,
			before: func(t *testing.T, f *offerFixture) string {
				d := f.decideFor(t, `{"userId":"ann-1","context":{"channel":"web"}}`)
				f.do(t, "POST", "/api/v1/outcomes", fmt.Sprintf(`{"decisionId":%q,"offerId":"points","type":"shown"}`, d.ID), adminHeaders())
				return ""
			},
			wantBody: []string{`"overall":{"offerId":"*"`, `"offerId":"points","arm":"all","stage":"activity","treatment":{"shown":1`, `"acceptRateCI":{"low":0,"high":0.79`}},
		{name: "report with a bad since", method: "GET", url: "/api/v1/offers/report?since=yesterday", wantStatus: 400},
	} {
		t.Run(sc.name, func(t *testing.T) {
			f := newOfferFixture(t)
			decision := ""
			if sc.before != nil {
				decision = sc.before(t, f)
			}
			url := strings.ReplaceAll(sc.url, "{decision}", decision)
			status, _, body := f.do(t, sc.method, url, strings.ReplaceAll(sc.body, "{decision}", decision), adminHeaders())
			if status != sc.wantStatus {
				t.Errorf("%s %s: status %d, want %d; body %s", sc.method, url, status, sc.wantStatus, body)
			}
			for _, want := range sc.wantBody {
				if !strings.Contains(body, want) {
					t.Errorf("%s %s: body lacks %s; got %s", sc.method, url, want, body)
				}
			}
		})
	}
}

// TestAdminOffersAbsent: a process without the offer service says so.
func TestAdminOffersAbsent(t *testing.T) {
	f := newAdminFixture(t)
	for _, req := range []struct{ method, url, body string }{
		{"POST", "/api/v1/decide", `{"userId":"ann-1","context":{"channel":"web"}}`},
		{"POST", "/api/v1/offers", `{"id":"x"}`},
		{"GET", "/api/v1/offers/report", ""},
		{"GET", "/api/v1/offers/funnel", ""},
	} {
		if status, _, body := f.do(t, req.method, req.url, req.body, adminHeaders()); status != 404 || !strings.Contains(body, "not available") {
			t.Errorf("%s %s: %d %s, want 404", req.method, req.url, status, body)
		}
	}
}

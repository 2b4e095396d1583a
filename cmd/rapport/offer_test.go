package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// offersConfig declares the offers and the trigger of the end-to-end
// test. Quiet hours are off: the test runs at any hour.
const offersConfig = `
offers:
  control: 0
  quiet_hours: null
  catalog:
    - id: deli-coupon
      title: 10% off at the deli
      payload: {code: DELI10}
      channels: [beacon, web]
      eligibility: zone == "deli"
      value: 4.5
      stage: activation
    - id: points
      title: Double points today
      channels: [web]
      value: 1
      stage: activity
  triggers:
    - id: deli-zone
      event: Beacon Entered
      condition: properties.zone == "deli"
      channel: beacon
`

// offerDelivery is what the webhook receiver reads of an offer.decided
// delivery.
type offerDelivery struct {
	Type      string
	ProfileID string
	Payload   struct {
		Trigger    string
		DecisionID string
		Channel    string
		Consent    struct{ Result string }
		Offers     []struct {
			OfferID string
			Payload map[string]any
		}
	}
}

// TestOfferTriggerEndToEnd runs the built binary with offers and a
// trigger declared in rapport.yaml: a shopper with push consent walks into
// the deli zone (a Beacon Entered event), and the webhook subscribed to
// offer.decided receives the deli coupon. A shopper without consent gets
// nothing. Then the decision API answers over HTTP and learns from an
// outcome.
func TestOfferTriggerEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process; skipped with -short")
	}
	got := make(chan offerDelivery, 10)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var d offerDelivery
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, &d); err == nil {
			got <- d
		}
	}))
	defer recv.Close()
	dir := t.TempDir()
	conf := filepath.Join(dir, "rapport.yaml")
	if err := os.WriteFile(conf, []byte(offersConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := startServer(t, "--data", filepath.Join(dir, "data"), "--config", conf)
	if code := adminSend(t, "POST", srv.URL+"/api/v1/webhooks",
		fmt.Sprintf(`{"url":%q,"events":["offer.decided"]}`, recv.URL), nil); code != http.StatusCreated {
		t.Fatalf("create webhook: %d", code)
	}

	now := time.Now().UTC()
	identify(t, srv.URL, "shopper-1", `{"email":"shopper@example.com"}`)
	sendTrack(t, srv.URL, "shopper-1", "Consent Granted", "c1", `{"channel":"push","text":"Offers in the app"}`, now.Add(-time.Minute))
	sendTrack(t, srv.URL, "shopper-2", "Beacon Entered", "b2", `{"zone":"deli"}`, now)
	sendTrack(t, srv.URL, "shopper-1", "Beacon Entered", "b0", `{"zone":"bakery"}`, now)
	sent := time.Now()
	sendTrack(t, srv.URL, "shopper-1", "Beacon Entered", "b1", `{"zone":"deli","beacon_id":"b-12"}`, now)
	var d offerDelivery
	select {
	case d = <-got:
		t.Logf("offer.decided delivered %s after the track was acknowledged", time.Since(sent).Round(time.Millisecond))
	case <-time.After(20 * time.Second):
		t.Fatalf("no offer.decided delivery within 20s; logs:\n%s", srv.Logs())
	}
	var p struct{ ID string }
	if adminGet(t, srv.URL+"/api/v1/profiles/lookup?userId=shopper-1", &p) != http.StatusOK {
		t.Fatal("shopper-1 not found")
	}
	pl := d.Payload
	if d.Type != "offer.decided" || d.ProfileID != p.ID || pl.Trigger != "deli-zone" || pl.Channel != "beacon" ||
		pl.Consent.Result != "granted" || len(pl.Offers) != 1 || pl.Offers[0].OfferID != "deli-coupon" || pl.Offers[0].Payload["code"] != "DELI10" {
		t.Fatalf("delivery %+v: want the deli coupon for %s by the deli-zone trigger, consent granted", d, p.ID)
	}
	select {
	case extra := <-got:
		t.Fatalf("a second delivery %+v: shopper-2 has no push consent and the bakery is not the deli", extra)
	case <-time.After(time.Second):
	}

	// The decision recorded with its consent check; its offer counts as shown.
	var dec struct {
		Consent struct{ Result, MessageID string }
		Trigger string
	}
	if adminGet(t, srv.URL+"/api/v1/decisions/"+pl.DecisionID, &dec) != http.StatusOK || dec.Consent.Result != "granted" ||
		dec.Consent.MessageID != "shopper-1-c1" || dec.Trigger != "deli-zone" {
		t.Errorf("recorded decision %+v: want the consent record shopper-1-c1", dec)
	}
	var accepted struct{ Recorded []struct{ Type string } }
	if code := adminSend(t, "POST", srv.URL+"/api/v1/outcomes",
		fmt.Sprintf(`{"decisionId":%q,"offerId":"deli-coupon","type":"accepted"}`, pl.DecisionID), &accepted); code != http.StatusOK || len(accepted.Recorded) != 1 {
		t.Fatalf("accept: %d %+v", code, accepted)
	}
	var web struct {
		ID     string
		Offers []struct{ OfferID, Reason string }
	}
	if code := adminSend(t, "POST", srv.URL+"/api/v1/decide",
		`{"userId":"shopper-1","context":{"channel":"web","zone":"deli"}}`, &web); code != http.StatusOK || len(web.Offers) != 2 {
		t.Fatalf("decide on the web: %d %+v", code, web)
	}
	var rep struct {
		Offers []struct {
			OfferID, Arm string
			Treatment    struct{ Shown, Accepted int }
		}
	}
	if adminGet(t, srv.URL+"/api/v1/offers/report", &rep) != http.StatusOK {
		t.Fatal("report")
	}
	found := false
	for _, o := range rep.Offers {
		if o.OfferID == "deli-coupon" && o.Arm == "*" {
			found = o.Treatment.Shown == 1 && o.Treatment.Accepted == 1
		}
	}
	if !found {
		t.Errorf("report %+v: want the deli coupon shown once and accepted once", rep.Offers)
	}
}

// sendTrack sends one track call with properties at a time; its
// messageId is userID-id.
func sendTrack(t *testing.T, url, userID, event, id, properties string, at time.Time) {
	t.Helper()
	body := fmt.Sprintf(`{"userId":%q,"event":%q,"messageId":"%s-%s","properties":%s,"timestamp":%q}`,
		userID, event, userID, id, properties, at.Format(time.RFC3339Nano))
	if code, resp, err := post(http.DefaultClient, url+"/v1/track", body); err != nil || code != http.StatusOK {
		t.Fatalf("track %s %s: status %d, err %v, body %s", userID, event, code, err, resp)
	}
}

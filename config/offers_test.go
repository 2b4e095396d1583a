package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapportdev/rapport/config"
	"github.com/rapportdev/rapport/offer"
)

const offersYAML = `
offers:
  control: 0.1
  learn_by: [vip]
  timezone: Europe/Paris
  suppression: {after: 2, cooldown: 3d}
  caps: {push: 5}
  consent: {call_centre: none, web: email}
  quiet_hours: {from: "22:00", to: "07:30", channels: [push]}
  catalog:
    - id: deli-coupon
      title: 10% off at the deli
      payload: {text: "Show this at the counter", code: DELI10}
      channels: [beacon, web]
      eligibility: zone == "deli" && "gourmets" in segments
      value: 4.5
      stage: activation
      caps: {per_day: 1}
      window: 2h
  triggers:
    - id: deli-zone
      event: Beacon Entered
      condition: properties.zone == "deli"
      channel: beacon
`

func TestOffers(t *testing.T) {
	c, err := config.Parse([]byte(offersYAML))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	p := c.Offers.Policy()
	if p.ControlShare != 0.1 || p.Explore != 0.05 || p.LearnBy[0] != "vip" || p.Timezone.String() != "Europe/Paris" {
		t.Errorf("policy %+v", p)
	}
	if p.Suppression != (offer.Suppression{After: 2, Cooldown: 72 * time.Hour}) || p.ChannelCaps["push"] != 5 || p.ChannelCaps["email"] != 0 {
		t.Errorf("suppression %+v, caps %v: want 2 in 3d, and the caps given replacing the defaults", p.Suppression, p.ChannelCaps)
	}
	if p.ConsentFor["email"] != "email" || p.ConsentFor["web"] != "email" || p.ConsentFor["call_centre"] != "" {
		t.Errorf("consent %v: want the defaults, web added, call_centre without", p.ConsentFor)
	}
	if q := p.QuietHours; q.From != 22*60 || q.To != 7*60+30 || len(q.Channels) != 1 {
		t.Errorf("quiet hours %+v", q)
	}
	if p.Retirement != offer.DefaultPolicy().Retirement {
		t.Errorf("retirement %+v: want the default", p.Retirement)
	}
	cat := c.Offers.Catalog()
	if len(cat) != 1 || cat[0].Payload["code"] != "DELI10" || cat[0].Caps.PerDay != 1 || cat[0].Value != 4.5 {
		t.Fatalf("catalog %+v", cat)
	}
	if tr := c.Offers.Triggers(); len(tr) != 1 || tr[0].Event != "Beacon Entered" || tr[0].Channel != "beacon" {
		t.Errorf("triggers %+v", tr)
	}
	empty, err := config.Parse(nil)
	if err != nil || empty.Offers.Policy().ControlShare != 0.05 || len(empty.Offers.Catalog()) != 0 {
		t.Errorf("no offers section: %+v, %v; want the default policy", empty.Offers.Policy(), err)
	}
}

func TestOffersErrorsNameTheLine(t *testing.T) {
	for _, tt := range []struct{ name, replace, with, want string }{
		{"unknown field", "  learn_by: [vip]", "  learn_buy: [vip]", "line 4: field learn_buy not found in offers"},
		{"out of range", "  control: 0.1", "  control: 0.9", "line 3: offers: control: a share from 0 to 0.5"},
		{"bad duration", "cooldown: 3d", "cooldown: soon", `line 6: offers.suppression.cooldown: "soon" is not a duration`},
		{"bad clock", `from: "22:00"`, `from: "25:00"`, "offers.quiet_hours: time of day \"25:00\""},
		{"broken eligibility", `zone == "deli" &&`, `zonee == "deli" &&`, "line 15: offers.catalog[0].eligibility: deli-coupon: line 1, column 1: unknown name zonee"},
		{"unknown offer field", "      window: 2h", "      windows: 2h", "line 19: field windows not found in offers.catalog[0]"},
		{"offer without value", "      value: 4.5", "      value: 0", "offers.catalog[0]: offer deli-coupon: value: must be a positive number"},
		{"trigger channel", "      channel: beacon", "      channel: fax", `line 21: offers.triggers[0]: trigger deli-zone: channel "fax"`},
		{"unknown timezone", "Europe/Paris", "Europe/Atlantis", `offers.timezone: "Europe/Atlantis" is not an IANA time zone`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(offersYAML, tt.replace) {
				t.Fatalf("%q is not in the test's YAML", tt.replace)
			}
			_, err := config.Parse([]byte(strings.Replace(offersYAML, tt.replace, tt.with, 1)))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// TestOffersDocExample parses the rapport.yaml example of docs/offers.md.
func TestOffersDocExample(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "offers.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "```yaml\n")
	block, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("no yaml block in docs/offers.md")
	}
	c, err := config.Parse([]byte(block))
	if err != nil {
		t.Fatalf("the example does not parse: %v", err)
	}
	if len(c.Offers.Catalog()) != 1 || len(c.Offers.Triggers()) != 1 {
		t.Errorf("example: %d offers, %d triggers", len(c.Offers.Catalog()), len(c.Offers.Triggers()))
	}
}

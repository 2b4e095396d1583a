package lead_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/rapportdev/rapport/lead"
)

// FuzzDecodeJSON checks that no body makes intake panic, and that every
// lead read prepares or is refused with an error.
func FuzzDecodeJSON(f *testing.F) {
	f.Add([]byte(oneLead))
	f.Add([]byte(`{"leads":[` + oneLead + `,{"price":"x"}]}`))
	f.Add([]byte(`{"person":{"email":"a@b.c","phone":"+1 206 555 0100","address":{"street":"1 Main St","postalCode":"98101"}},` +
		`"submittedAt":"2026-11-23T14:00:00Z","form":{"seconds":1e308,"botScore":-0},"consent":{"text":"ok","at":"2026-11-23T13:00:00Z","method":"verbal","channels":["phone"]}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		items, err := lead.DecodeJSON(body)
		if err != nil {
			return
		}
		for _, it := range items {
			if it.Err != nil {
				continue
			}
			l := it.Lead
			if lead.Prepare(&l, testVendor(), time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)) == nil {
				lead.MatchKeys(&l)
				lead.Complete(&l, testVendor(), lead.Prior{}, lead.DefaultPricing(), nil, 0)
				l.ID, l.PersonID = "ld_1", "ld_1"
				lead.Events(&l)
			}
		}
	})
}

// FuzzReadCSV checks that no upload makes the CSV reader panic, and that
// every item is a lead or an error.
func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("email,phone,submitted_at,answer.x\na@b.c,,2026-11-23T14:00:00Z,1\n"))
	f.Add([]byte("\xef\xbb\xbfemail;consent_channels\n\"a@b.c\";\"phone,sms\"\n\"x\n"))
	f.Add([]byte("first_name,last_name,zip,birth_year\nAna,Núñez,98101-1234,1990\n"))
	f.Fuzz(func(t *testing.T, file []byte) {
		items, err := lead.ReadCSV(bytes.NewReader(file))
		if err != nil {
			return
		}
		for _, it := range items {
			if it.Err == nil && it.Lead.Raw == nil {
				t.Fatalf("line %d: a lead without its raw row", it.Line)
			}
		}
	})
}

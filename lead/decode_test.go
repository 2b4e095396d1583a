package lead_test

import (
	"strings"
	"testing"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/lead"
)

const oneLead = `{"externalId":"x1","person":{"email":"ana@example.com"},"submittedAt":"2026-11-23T14:00:00-08:00"}`

func TestDecodeJSON(t *testing.T) {
	for _, tt := range []struct {
		name  string
		body  string
		items []string // "" for a lead, else a fragment of its error
		err   string
	}{
		{"one lead", oneLead, []string{""}, ""},
		{"batch", `{"leads":[` + oneLead + `,{"person":{"email":"b@example.com"},"sumbittedAt":"x"},{"price":"12"}]}`,
			[]string{"", "unknown field \"sumbittedAt\"", "field price: want a number"}, ""},
		{"a bad time", `{"person":{"email":"a@b.c"},"submittedAt":"yesterday"}`, []string{"a time is not RFC 3339"}, ""},
		{"fields Rapport sets", `{"id":"ld_1","person":{"email":"a@b.c"}}`, []string{"set by Rapport"}, ""},
		{"not JSON", `{"leads":[`, nil, "not valid JSON"},
		{"an array", `[` + oneLead + `]`, nil, "want a lead or"},
		{"empty batch", `{"leads":[]}`, nil, "leads: empty"},
		{"batch with more", `{"leads":[` + oneLead + `],"x":1}`, nil, "a batch has the field leads and nothing else"},
		{"too many", `{"leads":[` + strings.Repeat(oneLead+",", lead.MaxLeadsPerRequest) + oneLead + `]}`, nil, "at most 1000 per request"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			items, err := lead.DecodeJSON([]byte(tt.body))
			if tt.err != "" {
				if err == nil || !strings.Contains(rapport.ErrorMessage(err), tt.err) {
					t.Fatalf("err %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || len(items) != len(tt.items) {
				t.Fatalf("%d items, %v; want %d", len(items), err, len(tt.items))
			}
			for i, want := range tt.items {
				got := ""
				if items[i].Err != nil {
					got = rapport.ErrorMessage(items[i].Err)
				}
				if (want == "") != (got == "") || !strings.Contains(got, want) {
					t.Errorf("item %d: error %q, want %q", i, got, want)
				}
			}
		})
	}
	items, _ := lead.DecodeJSON([]byte(oneLead))
	if string(items[0].Lead.Raw) != oneLead || items[0].Lead.SubmittedAt.Hour() != 14 {
		t.Fatalf("raw %s, hour %d: want the payload kept and the consumer's offset", items[0].Lead.Raw, items[0].Lead.SubmittedAt.Hour())
	}
}

func TestReadCSV(t *testing.T) {
	file := "external_id,first_name,last_name,email,phone,zip,submitted_at,form_seconds,form_input,consent_text,consent_at,consent_ip,consent_method,consent_channels,answer.product,answer.drivers\n" +
		"a1,Ana,Diaz,ana@example.com,,98101,2026-11-23T14:00:00Z,75,typed,I agree,2026-11-23T13:59:59Z,203.0.113.1,checkbox,phone;sms,auto,2\n" +
		"a2,Ben,Roe,ben@example.com,,98101,yesterday,,,,,,,,auto,1\n" +
		"a3,Cy,Poe,cy@example.com,,98101,2026-11-23T14:00:00Z,ten,,,,,,,home,1\n" +
		"a4,Di\n"
	items, err := lead.ReadCSV(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"", "line 3, column submitted_at", "line 4, column form_seconds", "line 5: 2 cells for 16 columns"}
	if len(items) != len(want) {
		t.Fatalf("%d items, want %d", len(items), len(want))
	}
	for i, w := range want {
		got := ""
		if items[i].Err != nil {
			got = rapport.ErrorMessage(items[i].Err)
		}
		if (w == "") != (got == "") || !strings.Contains(got, w) {
			t.Errorf("row %d: error %q, want %q", i, got, w)
		}
	}
	l := items[0].Lead
	if items[0].Line != 2 || l.Consent == nil || len(l.Consent.Channels) != 2 || l.Answers["drivers"] != 2.0 ||
		l.Answers["product"] != "auto" || l.Form.Seconds != 75 || l.Person.Address.PostalCode != "98101" {
		t.Fatalf("first row read as %+v (line %d)", l, items[0].Line)
	}
	for _, tt := range []struct{ file, want string }{
		{"", "csv: empty"},
		{"email,colour\n", `unknown column "colour"`},
		{"email,Email\n", "appears twice"},
	} {
		if _, err := lead.ReadCSV(strings.NewReader(tt.file)); err == nil || !strings.Contains(rapport.ErrorMessage(err), tt.want) {
			t.Errorf("ReadCSV(%q) = %v, want %q", tt.file, err, tt.want)
		}
	}
	items, err = lead.ReadCSV(strings.NewReader("email;phone\nok@example.com;\n\"broken;x\nz@example.com;\n"))
	if err != nil || len(items) != 2 || items[0].Err != nil || !strings.Contains(rapport.ErrorMessage(items[1].Err), "the rest of the file was not read") {
		t.Fatalf("a broken quote: %d items, %v; want the row before it and an error naming the line", len(items), err)
	}
}
